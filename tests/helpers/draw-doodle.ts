// Held-out Quick, Draw! doodles for browser tests and benchmarks, and drawing them on the page's
// canvas with real pointer (mouse) events, stroke by stroke.
import type { Locator, Page } from "@playwright/test";
import { useBackend } from "../../model/backend";
import { guessDrawing, type Classifier } from "../../model/classifier";
import { splitHeldOut, type Sample } from "../../model/dataset";
import { loadClassifierDir } from "../../model/node/classifier-files";
import { loadQuickDraw } from "../../model/node/quickdraw";
import type { Drawing } from "../../model/rasterize";

export type HeldOut = { classifier: Classifier; samples: Sample[]; training: Sample[] };

/** The shipped classifier (CPU backend: no WASM kernels needed here) and the held-out and training splits of its categories. */
export async function loadHeldOut(): Promise<HeldOut> {
  await useBackend("cpu");
  const classifier = await loadClassifierDir();
  const known = new Set(classifier.categories);
  const { heldOut, train } = splitHeldOut((await loadQuickDraw()).filter((s) => known.has(s.category)));
  return { classifier, samples: heldOut, training: train };
}

/** Held-out doodles of `word` that the classifier names with confidence to spare, in split order. */
export function confidentDoodles({ classifier, samples, training }: HeldOut, word: string, from: "heldOut" | "training" = "heldOut"): Drawing[] {
  return (from === "heldOut" ? samples : training)
    .filter((s) => {
      if (s.category !== word) return false;
      const [first, second] = guessDrawing(classifier, s.drawing, 2);
      return first?.word === word && first.probability - (second?.probability ?? 0) > 0.3;
    })
    .map((s) => s.drawing);
}

/** Draws a dataset doodle (0..255 box) with real mouse events; `onStroke` runs after each pen-up. */
export async function drawDoodle(page: Page, canvas: Locator, drawing: Drawing, onStroke?: () => Promise<void>): Promise<void> {
  const box = (await canvas.boundingBox())!;
  const at = (x: number, y: number) => [box.x + (x / 255) * (box.width - 1), box.y + (y / 255) * (box.height - 1)] as const;
  for (const [xs, ys] of drawing) {
    await page.mouse.move(...at(xs[0]!, ys[0]!));
    await page.mouse.down();
    for (let i = 1; i < xs.length; i++) await page.mouse.move(...at(xs[i]!, ys[i]!));
    await page.mouse.up();
    await onStroke?.();
  }
}
