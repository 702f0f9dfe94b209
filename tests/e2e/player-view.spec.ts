// What players see, at the sizes they use: a 1366x768 and a 1366x850 laptop and a 390x844 phone.
// During a round the Undo and Clear buttons (laptops) and the start of the others' live views
// (phone) are on screen without scrolling; every phase opens at the top of the page; no page logs
// an error or warning; an unknown room code is refused before the nickname; the dance titles read
// right. Viewport screenshots of each go to artifacts/screenshots/player-view-*.png.
import { expect, test, type Page } from "@playwright/test";
import { danceTitle } from "../../game/word-forms";
import { drawZigzag } from "../helpers/pointer-draw";

const shots = "artifacts/screenshots";
const sizes = {
  "laptop-768": { width: 1366, height: 768 },
  "laptop-850": { width: 1366, height: 850 },
  phone: { width: 390, height: 844 },
} as const;
type Size = keyof typeof sizes;

/** Console errors and warnings (and uncaught exceptions) of every page, with the page's address. */
function watchConsole(page: Page, into: string[]): void {
  const note = (line: string) => {
    into.push(line);
    console.log(line); // at once: a later failure must not hide it
  };
  page.on("console", (msg) => {
    if (msg.type() === "error" || msg.type() === "warning") note(`${page.url()}: ${msg.type()}: ${msg.text()}`);
  });
  page.on("pageerror", (error) => note(`${page.url()}: uncaught: ${error.message}`));
}

/** Where an element is, relative to the viewport with the page scrolled to its top. */
async function boxAtTop(page: Page, testId: string) {
  await expect(page.getByTestId(testId).first()).toBeVisible();
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  return (await page.getByTestId(testId).first().boundingBox())!;
}

test("controls and live views in view, each phase at the top, no console noise", async ({ browser }) => {
  const problems: string[] = [];
  const pages = {} as Record<Size, Page>;
  for (const size of Object.keys(sizes) as Size[]) {
    const context = await browser.newContext(size === "phone" ? { viewport: sizes.phone, hasTouch: true, isMobile: true } : { viewport: sizes[size] });
    pages[size] = await context.newPage();
    watchConsole(pages[size], problems);
  }
  const { "laptop-768": ann, "laptop-850": cat, phone: bob } = pages;

  // An unknown code is refused before anyone types a nickname.
  await bob.goto("/r/ZZZZZZ");
  await expect(bob.getByTestId("fatal-not_found")).toContainText("Room not found");
  await expect(bob.getByTestId("nickname-input")).toHaveCount(0);

  await ann.goto("/");
  await ann.getByTestId("nickname-input").fill("Ann");
  await ann.getByTestId("nickname-submit").click();
  await expect(ann).toHaveURL(/\/r\/[A-Z2-9]{6}$/);
  const link = await ann.getByTestId("share-link").inputValue();
  for (const [page, name] of [[bob, "Bob"], [cat, "Cat"]] as const) {
    await page.goto(link);
    await page.getByTestId("nickname-input").fill(name);
    await page.getByTestId("nickname-submit").click();
  }
  await expect(ann.getByTestId("player-item")).toHaveCount(3);
  await expect(ann.getByTestId("scoring-rules")).toContainText("10 points for each doodle");
  await ann.getByTestId("settings-rounds").selectOption("2");
  await ann.getByTestId("settings-seconds").selectOption("20");
  await expect(bob.getByTestId("settings-rounds-value")).toHaveText("2");
  await ann.getByTestId("start-game").click();

  const scrollDown = (page: Page) => page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  const atTop = (page: Page) => expect.poll(() => page.evaluate(() => window.scrollY)).toBe(0);

  for (const round of [1, 2]) {
    for (const page of [ann, bob, cat]) {
      await expect(page.getByTestId("room")).toHaveAttribute("data-phase", "drawing");
      await expect(page.getByTestId("round-indicator")).toContainText(String(round));
      await atTop(page);
    }
    // Laptops: Undo and Clear fully inside the first screen.
    for (const [page, size] of [[ann, "laptop-768"], [cat, "laptop-850"]] as const) {
      for (const control of ["undo-stroke", "clear-drawing"]) {
        const box = await boxAtTop(page, control);
        expect(box.y + box.height, `${control} at ${size}`).toBeLessThanOrEqual(sizes[size].height);
      }
    }
    // Phone: the others' live views begin on the first screen.
    const live = await boxAtTop(bob, "live-view");
    expect(live.y, "first live view on the phone").toBeLessThan(sizes.phone.height);
    if (round === 1) for (const size of Object.keys(sizes) as Size[]) await pages[size].screenshot({ path: `${shots}/player-view-drawing-${size}.png` });

    await drawZigzag(ann, ann.getByTestId("drawing-canvas"), 0);
    await drawZigzag(bob, bob.getByTestId("drawing-canvas"), 1);
    await drawZigzag(cat, cat.getByTestId("drawing-canvas"), 2);
    await expect(ann.getByTestId("save-status")).toHaveAttribute("data-state", "saved");
    const word = (await ann.getByTestId("prompt").getAttribute("data-word"))!;
    for (const page of [ann, bob, cat]) await scrollDown(page);

    await expect(ann.getByTestId("room")).toHaveAttribute("data-phase", "gallery", { timeout: 30_000 });
    for (const page of [ann, bob, cat]) await atTop(page);
    await expect(ann.getByTestId("dance-title")).toHaveText(danceTitle(word));
    if (round === 1) for (const size of Object.keys(sizes) as Size[]) await pages[size].screenshot({ path: `${shots}/player-view-gallery-${size}.png` });
    for (const page of [ann, bob, cat]) await scrollDown(page);
  }

  await expect(ann.getByTestId("room")).toHaveAttribute("data-phase", "results", { timeout: 30_000 });
  for (const page of [ann, bob, cat]) await atTop(page);
  await expect(bob.getByTestId("scoring-rules")).toBeVisible();
  await bob.screenshot({ path: `${shots}/player-view-results-phone.png` });

  // The game's gallery: picking two doodles of round 1 while round 2 is shown names them, not round 2.
  const galleryUrl = await ann.getByTestId("game-gallery-link").getAttribute("href");
  await cat.goto(galleryUrl!);
  await expect(cat.getByTestId("gallery-round")).toHaveCount(2);
  await cat.getByTestId("gallery-round").nth(1).click();
  await expect(cat.getByTestId("dance-title")).toHaveText(/^Round 2: The .+ dance$/);
  const firstRound = await cat.getByTestId("dance-pick-from").locator("option").nth(1).getAttribute("value");
  const captions = await cat.getByTestId("dance-pick-from").locator("option").allTextContents();
  await cat.getByTestId("dance-pick-from").selectOption(firstRound!);
  await expect(cat.getByTestId("dance-title")).not.toHaveText(/^Round 2/);
  await expect(cat.getByTestId("dance-title")).toContainText(captions[1]!);
  await cat.screenshot({ path: `${shots}/player-view-game-gallery-laptop-850.png` });

  expect(problems, "console errors and warnings on home, room and gallery pages").toEqual([]);
  for (const page of [ann, bob, cat]) await page.context().close();
});
