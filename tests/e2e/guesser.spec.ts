// The AI guesser in a real browser: a held-out cat (never trained on), drawn stroke by stroke with
// real pointer events, makes the AI say "cat"; a held-out doodle of the prompt word gets it
// recognized (checked by the server), scored, and noted in the gallery. Also records how long
// each guess took in the page (docs/benchmarks.md, "AI guesser").
import { expect, test } from "@playwright/test";
import { summarize } from "../../bench/lib/percentiles";
import { confidentDoodles, drawDoodle, loadHeldOut, type HeldOut } from "../helpers/draw-doodle";

const shots = "artifacts/screenshots";

let heldOut: HeldOut;
test.beforeAll(async () => {
  heldOut = await loadHeldOut();
});

function heldOutDoodle(word: string) {
  const [first] = confidentDoodles(heldOut, word);
  if (!first) throw new Error(`no held-out ${word} that the classifier gets right`);
  return first;
}

/**
 * A doodle of the round's (random) word that the classifier names: held-out where one exists; for
 * the few words it gets right on none of their held-out doodles (e.g. mouse, cup, leg), one from
 * the training split, since this part tests the recognition path, not the classifier's accuracy.
 */
function recognizableDoodle(word: string) {
  const [first] = confidentDoodles(heldOut, word);
  if (first) return first;
  const [trained] = confidentDoodles(heldOut, word, "training");
  if (!trained) throw new Error(`no doodle of ${word} at all that the classifier gets right`);
  return trained;
}

test("drawing a held-out cat makes the AI say cat; a recognized doodle scores", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto("/");
  await page.getByTestId("nickname-input").fill("Cleo");
  await page.getByTestId("nickname-submit").click();
  await expect(page).toHaveURL(/\/r\/[A-Z2-9]{6}$/);
  await page.getByTestId("settings-rounds").selectOption("1");
  await page.getByTestId("settings-seconds").selectOption("60");
  await page.getByTestId("start-game").click();
  await expect(page.getByTestId("room")).toHaveAttribute("data-phase", "drawing");
  const word = (await page.getByTestId("prompt").getAttribute("data-word"))!;
  const guesser = page.getByTestId("guesser");
  const canvas = page.getByTestId("drawing-canvas");
  await expect(page.getByTestId("guesser-text")).toContainText("Start drawing");
  // Speech is off until the player turns it on.
  await expect(page.getByTestId("speak-toggle")).toHaveAttribute("aria-pressed", "false");

  // A cat, stroke by stroke; each finished stroke is guessed in the page. Timings per guess.
  const cat = heldOutDoodle("cat");
  const timings: number[] = [];
  let guesses = 0;
  await drawDoodle(page, canvas, cat, async () => {
    // A guess follows every change of the canvas (a stroke cut in two pieces is one change).
    await expect.poll(async () => Number(await guesser.getAttribute("data-guess-count"))).toBeGreaterThan(guesses);
    guesses = Number(await guesser.getAttribute("data-guess-count"));
    timings.push(Number(await guesser.getAttribute("data-last-guess-ms")));
  });
  await expect(guesser).toHaveAttribute("data-top-guess", "cat");
  await expect(page.getByTestId("guesser-text")).toContainText(word === "cat" ? "It's a cat!" : "I see... a cat?");
  await page.screenshot({ path: `${shots}/guesser-cat.png`, fullPage: true });
  const backend = await guesser.getAttribute("data-backend");
  const { p50, p95, max } = summarize(timings.slice(1));
  console.log(`browser guess (${backend}): first ${timings[0]!.toFixed(2)} ms, then p50 ${p50.toFixed(2)} p95 ${p95.toFixed(2)} max ${max.toFixed(2)} ms over ${timings.length - 1} strokes`);

  // Now a doodle of the word itself (unless the cat was it): the server agrees, it's recognized.
  if (word !== "cat") {
    await page.getByTestId("clear-drawing").click();
    await expect(canvas).toHaveAttribute("data-stroke-count", "0");
    await drawDoodle(page, canvas, recognizableDoodle(word));
  }
  await expect(guesser).toHaveAttribute("data-recognized-at-ms", /^\d+$/);
  await expect(page.getByTestId("guesser-text")).toContainText(`It's `);
  await expect(page.getByTestId("guesser-text")).toContainText("Recognized in");
  await page.screenshot({ path: `${shots}/guesser-recognized.png`, fullPage: true });

  // The gallery says so, and the score has the bonus on top of the doodle's 10.
  await expect(page.getByTestId("room")).toHaveAttribute("data-phase", "gallery", { timeout: 70_000 });
  await expect(page.getByTestId("recognition-note")).toHaveAttribute("data-recognized", "true");
  await expect(page.getByTestId("recognition-note")).toContainText(/AI recognized it in \d+\.\d s/);
  await page.screenshot({ path: `${shots}/guesser-gallery.png`, fullPage: true });
  await expect(page.getByTestId("room")).toHaveAttribute("data-phase", "results", { timeout: 20_000 });
  const score = parseInt((await page.getByTestId("score-value").first().textContent()) ?? "", 10);
  expect(score).toBeGreaterThan(10);
  await context.close();
});
