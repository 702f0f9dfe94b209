// The home page's dance (issue 12): real doodles dancing as soon as the page opens, with nothing to
// click, on a laptop and a phone; standing still for visitors who ask for less motion. How soon is
// a benchmark's figure (bench/home-dance.ts), not a timed test. Screenshots in
// artifacts/screenshots/home-laptop.png and home-phone.png.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { DANCE_HOLD_MS } from "../../protocol";

const shots = "artifacts/screenshots";

/** The canvas's pixels (ink is painted opaque on a clear canvas): their share of ink, and a fingerprint to tell frames apart. */
async function canvasPixels(page: Page): Promise<{ ink: number; pixels: number[] }> {
  return page.getByTestId("home-dance-canvas").evaluate((c: HTMLCanvasElement) => {
    const data = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
    const pixels: number[] = [];
    let ink = 0;
    for (let i = 0; i < data.length; i += 4) {
      const dark = data[i + 3]! > 128 ? 1 : 0;
      ink += dark;
      pixels.push(dark);
    }
    return { ink: ink / pixels.length, pixels };
  });
}

const changed = (a: number[], b: number[]) => a.reduce((n, v, i) => n + (v !== b[i] ? 1 : 0), 0) / a.length;

async function openHome(browser: Browser, viewport: { width: number; height: number }, mobile: boolean, reducedMotion: "reduce" | "no-preference" = "no-preference") {
  const context = await browser.newContext({ viewport, hasTouch: mobile, isMobile: mobile, reducedMotion });
  const page = await context.newPage();
  page.on("pageerror", (e) => console.log(`page error: ${e.message}`));
  await page.goto("/");
  return { context, page };
}

for (const [name, viewport, mobile] of [["laptop", { width: 1366, height: 768 }, false], ["phone", { width: 390, height: 844 }, true]] as const) {
  test(`the home page dances on a ${name} with no input`, async ({ browser }) => {
    const { context, page } = await openHome(browser, viewport, mobile);
    const dance = page.getByTestId("home-dance");
    await expect(dance).toHaveAttribute("data-first-paint-ms", /^\d+$/);
    await expect(page.getByTestId("home-dance-canvas")).toBeInViewport();

    const before = await canvasPixels(page);
    expect(before.ink).toBeGreaterThan(0.01);
    // It moves by itself: a tenth of a percent of the pixels is a stroke moving, not noise.
    await expect.poll(async () => changed(before.pixels, (await canvasPixels(page)).pixels), { timeout: 5_000 }).toBeGreaterThan(0.001);
    expect((await canvasPixels(page)).ink).toBeGreaterThan(0.01);
    await expect(dance.locator(".home-dance-who")).toHaveText(/^an? \w/);

    await page.screenshot({ path: `${shots}/home-${name}.png` });
    await context.close();
  });
}

test("with reduced motion, the home page shows the doodles still", async ({ browser }) => {
  const { context, page } = await openHome(browser, { width: 1366, height: 768 }, false, "reduce");
  await expect(page.getByTestId("home-dance")).toHaveAttribute("data-first-paint-ms", /^\d+$/);
  const before = await canvasPixels(page);
  expect(before.ink).toBeGreaterThan(0.01);
  // Past the first doodle's hold, counted in animation frames (60 a second): the dance would be moving.
  await page.evaluate((frames) => new Promise<void>((done) => {
    let left = frames;
    const next = () => (--left > 0 ? requestAnimationFrame(next) : done());
    requestAnimationFrame(next);
  }), Math.ceil(((DANCE_HOLD_MS + 500) * 60) / 1000));
  expect(changed(before.pixels, (await canvasPixels(page)).pixels)).toBe(0);
  await context.close();
});
