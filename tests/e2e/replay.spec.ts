// Watch the pen move: a one-round game (the shortest round), then a doodle replayed as it was drawn
// in the gallery, on the results (a laptop with a mouse and keys, a phone with touch) and on the
// game's gallery page: the picture grows while it plays, the scrubber shows any moment, the GIF
// goes from blank to the doodle, and with reduced motion nothing plays by itself.
// Screenshots: artifacts/screenshots/replay-laptop.png, replay-phone.png.
import { readFile } from "node:fs/promises";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { ROUND_SECONDS_MIN } from "../../protocol/limits";
import { inkedPixels } from "../helpers/canvas-ink";
import { openRoomWithGuest } from "../helpers/e2e-room";
import { decodeGif } from "../helpers/gif-decode";
import { drawStroke } from "../helpers/pointer-draw";

const shots = "artifacts/screenshots";

const roof: [number, number][] = [[0.2, 0.8], [0.2, 0.45], [0.5, 0.15], [0.8, 0.45], [0.8, 0.8], [0.2, 0.8]];
const door: [number, number][] = [[0.42, 0.8], [0.42, 0.6], [0.58, 0.6], [0.58, 0.8]];
const sun: [number, number][] = Array.from({ length: 9 }, (_, i) => [0.82 + 0.1 * Math.cos((i / 8) * 2 * Math.PI), 0.16 + 0.1 * Math.sin((i / 8) * 2 * Math.PI)]);
const circle: [number, number][] = Array.from({ length: 13 }, (_, i) => [0.5 + 0.3 * Math.cos((i / 12) * 2 * Math.PI), 0.5 + 0.3 * Math.sin((i / 12) * 2 * Math.PI)]);

/** The ink on the replay's canvas at every display frame until the replay stops. */
function recordUntilStopped(dialog: Locator): Promise<number[]> {
  return dialog.evaluate(
    (root) =>
      new Promise<number[]>((resolve) => {
        const player = root.querySelector<HTMLElement>("[data-testid=replay]")!;
        const canvas = root.querySelector<HTMLCanvasElement>("[data-testid=replay-canvas]")!;
        const seen: number[] = [];
        const frame = () => {
          const d = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
          let n = 0;
          for (let i = 3; i < d.length; i += 4) if (d[i]) n++;
          seen.push(n);
          if (player.dataset.playing === "false") resolve(seen);
          else requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
      }),
  );
}

/** Plays the open replay from the start at 1x and checks the picture grows to the whole doodle; returns the whole doodle's ink. */
async function playsFromBlankToWhole(page: Page, touch: boolean): Promise<number> {
  const dialog = page.getByTestId("replay-dialog");
  const player = dialog.getByTestId("replay");
  const canvas = dialog.getByTestId("replay-canvas");
  const press = (what: Locator) => (touch ? what.tap() : what.click());
  // Wherever it was opened, it plays at once (no reduced motion here) and ends on the whole doodle.
  await expect(player).toHaveAttribute("data-playing", "false", { timeout: 15_000 });
  const whole = await inkedPixels(canvas);
  expect(whole, "the finished replay shows the doodle").toBeGreaterThan(0);
  await press(dialog.getByTestId("replay-speed").filter({ hasText: "1×" }));
  await expect(player).toHaveAttribute("data-position-ms", await player.getAttribute("data-duration-ms") ?? "");
  // The button restarts a finished replay from the blank page.
  await press(dialog.getByTestId("replay-play"));
  const seen = await recordUntilStopped(dialog);
  console.log(`replay at 1x: ${await player.getAttribute("data-duration-ms")} ms, ${seen.length} frames, ink ${seen[0]} -> ${seen.at(-1)}`);
  expect(seen.at(-1), "it ends on the whole doodle").toBe(whole);
  expect(seen[0]!, "it starts with (almost) nothing").toBeLessThan(whole / 2);
  // A stroke's round end cap becomes a joint as the pen moves on, which can take a few anti-aliased
  // pixels away: the picture may not lose more than that.
  const slack = whole * 0.005;
  seen.slice(1).forEach((n, i) => expect(n, `frame ${i + 1} has no less ink than the one before`).toBeGreaterThanOrEqual(seen[i]! - slack));
  expect(new Set(seen).size, "the pen is seen moving over several frames").toBeGreaterThanOrEqual(4);
  return whole;
}

/** Scrubs the open replay to the start, the middle (a tap or click on the track) and the end. */
async function scrubs(page: Page, whole: number, touch: boolean): Promise<void> {
  const dialog = page.getByTestId("replay-dialog");
  const player = dialog.getByTestId("replay");
  const canvas = dialog.getByTestId("replay-canvas");
  const scrubber = dialog.getByRole("slider", { name: /^Moment of .+'s replay$/ });
  const box = (await scrubber.boundingBox())!;
  const middle = { x: box.width / 2, y: box.height / 2 };
  if (touch) await scrubber.tap({ position: middle });
  else await scrubber.click({ position: middle });
  await expect(player).toHaveAttribute("data-playing", "false");
  const duration = Number(await player.getAttribute("data-duration-ms"));
  const at = Number(await player.getAttribute("data-position-ms"));
  expect(Math.abs(at - duration / 2), `scrubbed to ${at} of ${duration} ms`).toBeLessThan(duration * 0.15);
  await expect.poll(() => inkedPixels(canvas), { message: "the middle is part of the doodle" }).toBeGreaterThan(0);
  const partial = await inkedPixels(canvas);
  expect(partial, "the middle is not yet the whole doodle").toBeLessThan(whole);
  if (!touch) {
    await scrubber.press("Home");
    await expect.poll(() => inkedPixels(canvas), { message: "the start is blank" }).toBe(0);
    await scrubber.press("End");
    await expect.poll(() => inkedPixels(canvas), { message: "the end is the whole doodle" }).toBe(whole);
  }
}

test("a doodle replays as it was drawn in the gallery, on the results and on the game's page", async ({ browser }) => {
  test.setTimeout(150_000);
  const laptop = await browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const ann = await laptop.newPage();
  const bob = await phone.newPage();
  for (const p of [ann, bob]) p.on("pageerror", (e) => console.log(`page error: ${e.message}`));

  // The dance model is off (?model=off): replays need none, and the shared machine's cores stay free.
  await openRoomWithGuest(ann, bob, "?model=off");

  await ann.getByTestId("settings-rounds").selectOption("1");
  await ann.getByTestId("settings-seconds").selectOption(String(ROUND_SECONDS_MIN));
  await expect(bob.getByTestId("settings-seconds-value")).toHaveText(`${ROUND_SECONDS_MIN} s`);
  await ann.getByTestId("start-game").click();
  for (const page of [ann, bob]) await expect(page.getByTestId("room")).toHaveAttribute("data-phase", "drawing");
  await Promise.all([
    (async () => {
      for (const s of [roof, door, sun]) await drawStroke(ann, ann.getByTestId("drawing-canvas"), s);
    })(),
    drawStroke(bob, bob.getByTestId("drawing-canvas"), circle),
  ]);
  for (const page of [ann, bob]) await expect(page.getByTestId("save-status")).toHaveAttribute("data-state", "saved");

  // The gallery: Ann replays her own doodle; it opens playing and ends on the doodle.
  await expect(ann.getByTestId("room")).toHaveAttribute("data-phase", "gallery", { timeout: 30_000 });
  await ann.getByTestId("gallery-item").filter({ hasText: "Ann" }).getByTestId("replay-open").click();
  await expect(ann.getByTestId("replay")).toHaveAttribute("data-playing", "false", { timeout: 15_000 });
  await expect.poll(() => inkedPixels(ann.getByTestId("replay-canvas"))).toBeGreaterThan(0);
  await ann.keyboard.press("Escape");
  await expect(ann.getByTestId("replay-dialog")).toHaveCount(0);
  await ann.getByTestId("gallery-next").click();

  // The results on the laptop: play from blank to whole, scrub, keys, the GIF.
  await expect(ann.getByTestId("room")).toHaveAttribute("data-phase", "results", { timeout: 30_000 });
  await ann.getByTestId("results-row").getByRole("button", { name: /^Replay Ann's/ }).click();
  const whole = await playsFromBlankToWhole(ann, false);
  await scrubs(ann, whole, false);
  await ann.screenshot({ path: `${shots}/replay-laptop.png` });
  const download = ann.waitForEvent("download");
  await ann.getByTestId("replay-gif").click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^doodle-replay-ann-s-.+\.gif$/);
  const gif = decodeGif(new Uint8Array(await readFile((await file.path())!)));
  const ink = gif.frames.map((f) => f.indices.reduce((n, v) => n + (v > 0 ? 1 : 0), 0));
  console.log(`replay GIF: ${gif.frames.length} frames, ${gif.width}x${gif.height}`);
  expect(ink[0], "the GIF starts blank").toBe(0);
  expect(ink.at(-1)!, "and ends on the doodle").toBeGreaterThan(Math.max(...ink.slice(0, -1)) - 1);
  expect(new Set(ink).size, "growing over several frames").toBeGreaterThanOrEqual(4);

  // The results on the phone, by touch: Bob replays Ann's doodle.
  await expect(bob.getByTestId("room")).toHaveAttribute("data-phase", "results");
  await bob.getByTestId("results-row").getByRole("button", { name: /^Replay Ann's/ }).tap();
  // Its own canvas size, so its own count of the whole doodle's pixels.
  const wholeOnPhone = await playsFromBlankToWhole(bob, true);
  await scrubs(bob, wholeOnPhone, true);
  await bob.getByTestId("replay-play").tap();
  await expect(bob.getByTestId("replay")).toHaveAttribute("data-playing", "false", { timeout: 15_000 });
  await expect.poll(() => inkedPixels(bob.getByTestId("replay-canvas")), { message: "played on from the middle to the end" }).toBe(wholeOnPhone);
  await bob.screenshot({ path: `${shots}/replay-phone.png` });
  await bob.getByTestId("replay-close").tap();
  await expect(bob.getByTestId("replay-dialog")).toHaveCount(0);

  // The game's gallery page: the same replay, and with reduced motion it waits for Play.
  const href = await ann.getByTestId("game-gallery-link").getAttribute("href");
  const page = await laptop.newPage();
  await page.goto(`${href}?model=off`);
  await page.getByRole("button", { name: /^Replay Ann's/ }).click();
  await scrubs(page, await playsFromBlankToWhole(page, false), false);
  await page.keyboard.press("Escape");
  await page.emulateMedia({ reducedMotion: "reduce" });
  await page.getByRole("button", { name: /^Replay Bob's/ }).click();
  const still = page.getByTestId("replay");
  await expect(still).toHaveAttribute("data-playing", "false");
  await expect(still).toHaveAttribute("data-position-ms", (await still.getAttribute("data-duration-ms"))!);
  expect(await inkedPixels(page.getByTestId("replay-canvas")), "it opens on the whole doodle").toBeGreaterThan(0);

  await laptop.close();
  await phone.close();
});
