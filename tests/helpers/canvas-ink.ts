// Reading a page's canvas in browser tests.
import type { Locator } from "@playwright/test";

/** Inked pixels of a canvas (pages clear theirs to transparent): 0 is blank. */
export function inkedPixels(canvas: Locator): Promise<number> {
  return canvas.evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i]) n++;
    return n;
  });
}
