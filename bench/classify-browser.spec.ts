// Latency of one AI guess in the browser, as the game runs it: held-out doodles of several words
// drawn stroke by stroke with real pointer events in a room; after each stroke the page's guesser
// rasterizes and classifies the canvas (between frames) and reports how long that took.
//   npx next build && npx playwright test --config bench/playwright.config.ts
import { loadavg } from "node:os";
import { expect, test } from "@playwright/test";
import { summarize } from "./lib/percentiles";
import { confidentDoodles, drawDoodle, loadHeldOut } from "../tests/helpers/draw-doodle";

// Five doodles fit the longest round (120 s) even on a busy machine.
const WORDS = ["cat", "airplane", "guitar", "television", "camera"];

test("browser guess latency", async ({ browser }) => {
  const heldOut = await loadHeldOut();
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto("/");
  await page.getByTestId("nickname-input").fill("Bench");
  await page.getByTestId("nickname-submit").click();
  await page.getByTestId("settings-rounds").selectOption("1");
  await page.getByTestId("settings-seconds").selectOption("120");
  await page.getByTestId("start-game").click();
  await expect(page.getByTestId("room")).toHaveAttribute("data-phase", "drawing");
  const guesser = page.getByTestId("guesser");
  const canvas = page.getByTestId("drawing-canvas");
  await expect(guesser).toHaveAttribute("data-guess-count", "0");

  const timings: number[] = [];
  let guesses = 0;
  for (const word of WORDS) {
    const doodle = confidentDoodles(heldOut, word)[0];
    if (!doodle) continue;
    await drawDoodle(page, canvas, doodle, async () => {
      // A guess follows every change of the canvas (a stroke cut in two pieces is one change).
      await expect.poll(async () => Number(await guesser.getAttribute("data-guess-count"))).toBeGreaterThan(guesses);
      guesses = Number(await guesser.getAttribute("data-guess-count"));
      timings.push(Number(await guesser.getAttribute("data-last-guess-ms")));
    });
    await page.getByTestId("clear-drawing").click();
    await expect(canvas).toHaveAttribute("data-stroke-count", "0");
  }
  const rest = summarize(timings.slice(1));
  const mean = timings.slice(1).reduce((a, b) => a + b, 0) / rest.count;
  console.log(
    `Chromium ${browser.version()}, backend ${await guesser.getAttribute("data-backend")}: first guess ${timings[0]!.toFixed(2)} ms; ` +
      `then ${rest.count} guesses (load ${loadavg()[0]!.toFixed(2)}): mean ${mean.toFixed(2)} p50 ${rest.p50.toFixed(2)} p95 ${rest.p95.toFixed(2)} p99 ${rest.p99.toFixed(2)} max ${rest.max.toFixed(2)} ms`,
  );
});
