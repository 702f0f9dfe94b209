// Between rounds, on a 1366x768 laptop (the host) and a 390x844 phone: the dance, its controls and
// the doodles as drawn are all on the first screen (beside the dance on the laptop, under it on the
// phone); the host can move on early, the phone is told who can; a GIF being saved when the round
// changes still arrives, and the round's dance plays on in the game's gallery page.
// Screenshots: artifacts/screenshots/gallery-laptop.png, gallery-phone.png.
import { expect, test, type Locator, type Page } from "@playwright/test";
import { openRoomWithGuest } from "../helpers/e2e-room";
import { drawStroke } from "../helpers/pointer-draw";

const shots = "artifacts/screenshots";

const circle = Array.from({ length: 13 }, (_, i) => [0.5 + 0.3 * Math.cos((i / 12) * 2 * Math.PI), 0.5 + 0.3 * Math.sin((i / 12) * 2 * Math.PI)] as [number, number]);
const roof: [number, number][] = [[0.2, 0.8], [0.2, 0.45], [0.5, 0.15], [0.8, 0.45], [0.8, 0.8], [0.2, 0.8]];

/** The element's box, asserted to lie wholly inside the viewport (no scrolling needed). */
async function onFirstScreen(page: Page, what: Locator, name: string) {
  const box = await what.boundingBox();
  const view = page.viewportSize()!;
  expect(box, `${name} is rendered`).not.toBeNull();
  const { x, y, width, height } = box!;
  const where = `${name} at ${Math.round(x)},${Math.round(y)} ${Math.round(width)}x${Math.round(height)} in ${view.width}x${view.height}`;
  expect(x >= 0 && y >= 0 && x + width <= view.width && y + height <= view.height, where).toBe(true);
  return box!;
}

/** Every part the issue asks to see without scrolling; returns the dance canvas's and first doodle's boxes. */
async function checkFirstScreen(page: Page) {
  const canvas = await onFirstScreen(page, page.getByTestId("dance-canvas"), "the dance");
  for (const id of ["dance-play", "dance-speed", "dance-compare", "dance-pick-from", "dance-pick-to", "dance-gif", "dance-png"]) {
    await onFirstScreen(page, page.getByTestId(id), id);
  }
  const original = await onFirstScreen(page, page.getByTestId("gallery-item").first(), "the first doodle as drawn");
  await onFirstScreen(page, page.getByTestId("gallery-item").nth(1), "the second doodle as drawn");
  return { canvas, original };
}

test("the gallery fits a laptop's and a phone's first screen, and the host moves on", async ({ browser }) => {
  test.setTimeout(180_000);
  const laptop = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, acceptDownloads: true });
  const ann = await laptop.newPage();
  const bob = await phone.newPage();
  for (const p of [ann, bob]) p.on("pageerror", (e) => console.log(`page error: ${e.message}`));

  await openRoomWithGuest(ann, bob);
  for (const page of [ann, bob]) await expect(page.getByTestId("model-status")).toHaveAttribute("data-state", "ready", { timeout: 60_000 });

  await ann.getByTestId("settings-rounds").selectOption("2");
  await ann.getByTestId("settings-seconds").selectOption("20");
  await ann.getByTestId("start-game").click();

  /** One round: both draw, then both pages show the gallery with the dance playing. */
  async function playRound(round: number) {
    for (const page of [ann, bob]) {
      await expect(page.getByTestId("room")).toHaveAttribute("data-phase", "drawing");
      await expect(page.getByTestId("round-indicator")).toContainText(String(round));
    }
    await drawStroke(ann, ann.getByTestId("drawing-canvas"), circle);
    await drawStroke(bob, bob.getByTestId("drawing-canvas"), roof);
    await expect(bob.getByTestId("save-status")).toHaveAttribute("data-state", "saved");
    for (const page of [ann, bob]) {
      await expect(page.getByTestId("room")).toHaveAttribute("data-phase", "gallery", { timeout: 30_000 });
      await expect(page.getByTestId("dance")).toHaveAttribute("data-state", "playing", { timeout: 15_000 });
      await expect(page.getByTestId("gallery-item")).toHaveCount(2);
    }
  }

  // Round 1. Who can move on: the host has the button, the phone is told who.
  await playRound(1);
  await expect(ann.getByTestId("gallery-next")).toHaveText("Next round now");
  await expect(bob.getByTestId("gallery-next")).toHaveCount(0);
  await expect(bob.getByTestId("waiting-for-host")).toContainText("Ann");
  // Bob saves the GIF as the host moves on: the round changes, the GIF still arrives.
  await expect(bob.getByTestId("keep-watching")).toHaveAttribute("href", /^\/games\/[0-9a-f-]{36}\/1\?round=1$/);
  const gif = bob.waitForEvent("download");
  await bob.getByTestId("dance-gif").click();
  await ann.getByTestId("gallery-next").click();
  expect((await gif).suggestedFilename()).toMatch(/\.gif$/);

  // Round 2, the last: measured on the first screen. Laptop: the originals beside the dance;
  // phone: under the dance and its controls.
  await playRound(2);
  const gallery = await bob.getByTestId("keep-watching").getAttribute("href");
  expect(gallery).toMatch(/^\/games\/[0-9a-f-]{36}\/1\?round=2$/);
  const wide = await checkFirstScreen(ann);
  expect(wide.original.x, "the originals sit to the right of the dance").toBeGreaterThan(wide.canvas.x + wide.canvas.width);
  expect(wide.canvas.width, "a dance big enough to watch").toBeGreaterThanOrEqual(320);
  await onFirstScreen(ann, ann.getByTestId("gallery-next"), "the host's button");
  await expect(ann.getByTestId("gallery-next")).toHaveText("Show results now");
  const narrow = await checkFirstScreen(bob);
  const controls = (await bob.locator(".dance-controls").boundingBox())!;
  expect(narrow.original.y, "the originals sit under the dance's controls").toBeGreaterThan(controls.y + controls.height);
  expect(narrow.canvas.width, "a dance big enough to watch").toBeGreaterThanOrEqual(200);
  await ann.screenshot({ path: `${shots}/gallery-laptop.png` });
  await bob.screenshot({ path: `${shots}/gallery-phone.png` });
  await expect(ann.getByTestId("room")).toHaveAttribute("data-phase", "results", { timeout: 30_000 });

  // Round 2's dance, from the link in its gallery: it plays on, with its controls, in its own page.
  const replay = await phone.newPage();
  await replay.goto(gallery!);
  await expect(replay.getByTestId("gallery-round")).toHaveCount(2);
  await expect(replay.getByTestId("gallery-round").nth(1)).toHaveAttribute("aria-pressed", "true");
  await expect(replay.getByTestId("dance")).toHaveAttribute("data-doodles", "2");
  await expect(replay.getByTestId("dance")).toHaveAttribute("data-state", "playing", { timeout: 30_000 });
  await expect(replay.getByTestId("dance-gif")).toBeEnabled();

  await laptop.close();
  await phone.close();
});
