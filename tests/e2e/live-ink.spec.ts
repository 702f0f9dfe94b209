// Live ink in two browsers: while Ann's pen is still down, Bob's view of her canvas changes
// (pixels compared), and when it lifts the finished stroke takes the live one's place.
import { expect, test, type Page } from "@playwright/test";
import { inkedPixels } from "../helpers/canvas-ink";
import { openRoomWithGuest } from "../helpers/e2e-room";

const shots = "artifacts/screenshots";

async function openRoom(ann: Page, bob: Page): Promise<void> {
  await openRoomWithGuest(ann, bob);
  await ann.getByTestId("settings-rounds").selectOption("1");
  await ann.getByTestId("settings-seconds").selectOption("60");
  await ann.getByTestId("start-game").click();
  for (const page of [ann, bob]) await expect(page.getByTestId("room")).toHaveAttribute("data-phase", "drawing");
}

test("a friend's line follows the pen before it lifts", async ({ browser }) => {
  const ann = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  const bob = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  await openRoom(ann, bob);

  const pad = ann.getByTestId("drawing-canvas");
  const annAtBob = bob.getByTestId("live-doodle");
  const box = (await pad.boundingBox())!;
  const at = (fx: number, fy: number) => [box.x + box.width * fx, box.y + box.height * fy] as const;
  expect(await inkedPixels(annAtBob)).toBe(0);

  await ann.mouse.move(...at(0.15, 0.5));
  await ann.mouse.down();
  await ann.mouse.move(...at(0.45, 0.3), { steps: 8 });
  // The pen is still down: Bob sees the stroke in progress, not a finished one.
  await expect(annAtBob).toHaveAttribute("data-live-count", "1");
  await expect(annAtBob).toHaveAttribute("data-stroke-count", "0");
  await expect.poll(() => inkedPixels(annAtBob)).toBeGreaterThan(0);
  const halfway = await inkedPixels(annAtBob);
  await bob.screenshot({ path: `${shots}/live-ink-pen-down.png` });

  await ann.mouse.move(...at(0.85, 0.7), { steps: 8 });
  // Still down, and the line has grown at Bob's side.
  await expect.poll(() => inkedPixels(annAtBob)).toBeGreaterThan(halfway * 1.5);
  await expect(annAtBob).toHaveAttribute("data-stroke-count", "0");

  await ann.mouse.up();
  await expect(annAtBob).toHaveAttribute("data-stroke-count", "1");
  await expect(annAtBob).toHaveAttribute("data-live-count", "0");
  // The finished stroke draws the same line: the ink stays about the same.
  const live = await inkedPixels(annAtBob);
  expect(live).toBeGreaterThan(halfway * 1.5);
});
