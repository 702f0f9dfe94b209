// Two people, two browser contexts (a laptop and a phone), one short game: create a room, join
// by its link, draw with real pointer events, see each other's live strokes, the gallery and the
// results. Screenshots of every phase go to artifacts/screenshots/.
import { expect, test } from "@playwright/test";
import { drawZigzag } from "../helpers/pointer-draw";

const shots = "artifacts/screenshots";

test("two friends play a short game from two browsers", async ({ browser }) => {
  const laptop = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const ann = await laptop.newPage();
  const bob = await phone.newPage();

  // Ann opens a room from the home page.
  await ann.goto("/");
  await ann.getByTestId("nickname-input").fill("Ann");
  await ann.screenshot({ path: `${shots}/01-home.png`, fullPage: true });
  await ann.getByTestId("nickname-submit").click();
  await expect(ann).toHaveURL(/\/r\/[A-Z2-9]{6}$/);
  const link = await ann.getByTestId("share-link").inputValue();
  expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/r\/[A-Z2-9]{6}$/);

  // Bob opens the link on his phone and picks a nickname.
  await bob.goto(link);
  await bob.getByTestId("nickname-input").fill("Bob");
  await bob.getByTestId("nickname-submit").click();
  await expect(ann.getByTestId("player-item")).toHaveCount(2);
  await expect(bob.getByTestId("waiting-for-host")).toBeVisible();

  // Ann, the host, sets a short game and starts it.
  await ann.getByTestId("settings-rounds").selectOption("2");
  // 20 s: room for the zigzags even when a loaded machine slows pointer events to ~0.5 s each.
  await ann.getByTestId("settings-seconds").selectOption("20");
  await expect(bob.getByTestId("settings-rounds-value")).toHaveText("2");
  await ann.screenshot({ path: `${shots}/02-lobby-host.png`, fullPage: true });
  await bob.screenshot({ path: `${shots}/03-lobby-phone.png`, fullPage: true });
  await ann.getByTestId("start-game").click();

  for (const round of [1, 2]) {
    for (const page of [ann, bob]) {
      await expect(page.getByTestId("room")).toHaveAttribute("data-phase", "drawing");
      await expect(page.getByTestId("round-indicator")).toContainText(String(round));
    }
    const word = await ann.getByTestId("prompt").getAttribute("data-word");
    expect(word).toBeTruthy();
    await expect(bob.getByTestId("prompt")).toHaveAttribute("data-word", word!);

    await drawZigzag(ann, ann.getByTestId("drawing-canvas"), 0);
    await drawZigzag(ann, ann.getByTestId("drawing-canvas"), 1);
    await drawZigzag(bob, bob.getByTestId("drawing-canvas"), 2);
    await expect(ann.getByTestId("drawing-canvas")).toHaveAttribute("data-stroke-count", "2");
    // Live views: each sees the other's strokes arrive.
    await expect(bob.getByTestId("live-doodle")).toHaveAttribute("data-stroke-count", "2");
    await expect(ann.getByTestId("live-doodle")).toHaveAttribute("data-stroke-count", "1");
    await expect(ann.getByTestId("save-status")).toHaveAttribute("data-state", "saved");
    if (round === 1) {
      await ann.screenshot({ path: `${shots}/04-drawing-laptop.png`, fullPage: true });
      await bob.screenshot({ path: `${shots}/05-drawing-phone.png`, fullPage: true });
    }

    // End of round: both doodles side by side.
    await expect(ann.getByTestId("room")).toHaveAttribute("data-phase", "gallery", { timeout: 30_000 });
    await expect(ann.getByTestId("gallery-item")).toHaveCount(2);
    await expect(bob.getByTestId("gallery-item")).toHaveCount(2);
    if (round === 1) {
      await ann.screenshot({ path: `${shots}/06-gallery-laptop.png`, fullPage: true });
      await bob.screenshot({ path: `${shots}/07-gallery-phone.png`, fullPage: true });
    }
  }

  // Results: every round's doodles, scores, a rematch that keeps the room.
  await expect(ann.getByTestId("room")).toHaveAttribute("data-phase", "results", { timeout: 30_000 });
  await expect(ann.getByTestId("results-row")).toHaveCount(2);
  await expect(bob.getByTestId("score-item")).toHaveCount(2);
  await ann.screenshot({ path: `${shots}/08-results-laptop.png`, fullPage: true });
  await bob.screenshot({ path: `${shots}/09-results-phone.png`, fullPage: true });
  await ann.getByTestId("rematch").click();
  await expect(bob.getByTestId("room")).toHaveAttribute("data-phase", "lobby");
  await expect(bob.getByTestId("player-item")).toHaveCount(2);

  // Bob's phone reloads: same seat, no third player.
  await bob.reload();
  await expect(bob.getByTestId("room")).toHaveAttribute("data-phase", "lobby");
  await expect(ann.getByTestId("player-item")).toHaveCount(2);

  await laptop.close();
  await phone.close();
});
