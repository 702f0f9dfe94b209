// Drawing on a page's canvas with real mouse events, for browser tests.
import type { Locator, Page } from "@playwright/test";

/** A zigzag across the canvas; `seed` shifts it so two strokes differ. */
export async function drawZigzag(page: Page, canvas: Locator, seed: number): Promise<void> {
  const box = (await canvas.boundingBox())!;
  const at = (fx: number, fy: number) => [box.x + box.width * fx, box.y + box.height * fy] as const;
  const [x0, y0] = at(0.2, 0.2 + 0.1 * seed);
  await page.mouse.move(x0, y0);
  await page.mouse.down();
  for (let i = 1; i <= 6; i++) {
    const [x, y] = at(0.2 + i * 0.1, (i % 2 ? 0.5 : 0.25) + 0.05 * seed);
    await page.mouse.move(x, y, { steps: 4 });
  }
  await page.mouse.up();
}

/** One stroke through `points` (fractions of the canvas's box), a few mouse moves between each. */
export async function drawStroke(page: Page, canvas: Locator, points: readonly (readonly [number, number])[]): Promise<void> {
  const box = (await canvas.boundingBox())!;
  const at = ([fx, fy]: readonly [number, number]) => [box.x + box.width * fx, box.y + box.height * fy] as const;
  await page.mouse.move(...at(points[0]!));
  await page.mouse.down();
  for (const p of points.slice(1)) await page.mouse.move(...at(p), { steps: 3 });
  await page.mouse.up();
}
