// A third person opens the room's link mid-round and chooses Watch: they see both players'
// canvases fill live with no pad of their own, the players see "1 watching", and a spectator who
// asked for a seat plays the rematch. Screenshots (laptop 1366x768, phone 390x844) go to
// artifacts/screenshots/spectator-*.
import { expect, test, type Page } from "@playwright/test";
import { drawZigzag } from "../helpers/pointer-draw";

const shots = "artifacts/screenshots";
const laptop = { width: 1366, height: 768 };
const phone = { width: 390, height: 844 };

test("a spectator watches two players draw, then takes a seat at the rematch", async ({ browser }) => {
  const contexts = await Promise.all([
    browser.newContext({ viewport: laptop }),
    browser.newContext({ viewport: phone, hasTouch: true, isMobile: true }),
    browser.newContext({ viewport: laptop }),
  ]);
  const [ann, bob, vera] = await Promise.all(contexts.map((c) => c.newPage()));
  const shot = (page: Page, name: string) => page.screenshot({ path: `${shots}/spectator-${name}.png` });

  await ann!.goto("/");
  await ann!.getByTestId("nickname-input").fill("Ann");
  await ann!.getByTestId("nickname-submit").click();
  await expect(ann!).toHaveURL(/\/r\/[A-Z2-9]{6}$/);
  const link = await ann!.getByTestId("share-link").inputValue();
  await bob!.goto(link);
  await bob!.getByTestId("nickname-input").fill("Bob");
  await bob!.getByTestId("nickname-submit").click();
  await expect(ann!.getByTestId("player-item")).toHaveCount(2);
  await ann!.getByTestId("settings-rounds").selectOption("1");
  await ann!.getByTestId("settings-seconds").selectOption("30");
  await expect(bob!.getByTestId("settings-rounds-value")).toHaveText("1");
  await ann!.getByTestId("start-game").click();
  for (const page of [ann!, bob!]) await expect(page.getByTestId("room")).toHaveAttribute("data-phase", "drawing");
  await drawZigzag(ann!, ann!.getByTestId("drawing-canvas"), 0);
  await drawZigzag(bob!, bob!.getByTestId("drawing-canvas"), 1);

  // Vera opens the link mid-round: the page offers to watch (or to take a seat for the next round).
  await vera!.goto(link);
  await expect(vera!.getByTestId("watch-or-join")).toContainText("A game is on");
  await vera!.getByTestId("nickname-input").fill("Vera");
  await shot(vera!, "choice-laptop");
  await vera!.getByTestId("watch-submit").click();

  await expect(vera!.getByTestId("watching-badge")).toBeVisible();
  await expect(vera!.getByTestId("drawing-canvas")).toHaveCount(0);
  await expect(vera!.getByTestId("live-view")).toHaveCount(2);
  const live = (page: Page, name: string) => page.getByTestId("live-view").filter({ hasText: name }).getByTestId("live-doodle");
  await expect(live(vera!, "Ann")).toHaveAttribute("data-stroke-count", "1");
  await expect(live(vera!, "Bob")).toHaveAttribute("data-stroke-count", "1");
  for (const page of [ann!, bob!]) {
    await expect(page.getByTestId("watching-count")).toHaveAttribute("data-count", "1");
    await expect(page.getByTestId("watching-count")).toContainText("1 watching");
  }
  await expect(ann!.getByTestId("watching-count")).toContainText("Vera");

  // A stroke drawn now reaches the spectator live.
  await drawZigzag(ann!, ann!.getByTestId("drawing-canvas"), 2);
  await expect(live(vera!, "Ann")).toHaveAttribute("data-stroke-count", "2");
  await shot(vera!, "drawing-laptop");
  await shot(ann!, "drawing-player-laptop");
  await shot(bob!, "drawing-player-phone");
  await vera!.setViewportSize(phone);
  await shot(vera!, "drawing-phone");
  await vera!.setViewportSize(laptop);

  await vera!.getByTestId("join-next-game").click();
  await expect(vera!.getByTestId("spectator-banner")).toHaveAttribute("data-join-next", "true");

  await expect(vera!.getByTestId("room")).toHaveAttribute("data-phase", "gallery", { timeout: 40_000 });
  await expect(vera!.getByTestId("gallery-item")).toHaveCount(2);
  await shot(vera!, "gallery-laptop");
  await ann!.getByTestId("gallery-next").click();
  await expect(vera!.getByTestId("room")).toHaveAttribute("data-phase", "results");
  await expect(vera!.getByTestId("score-item")).toHaveCount(2);
  await shot(vera!, "results-laptop");

  // The rematch opens a new game: Vera asked, a seat is free, she plays.
  await ann!.getByTestId("rematch").click();
  await expect(ann!.getByTestId("player-item")).toHaveCount(3);
  await expect(vera!.getByTestId("spectator-banner")).toHaveCount(0);
  await expect(vera!.getByTestId("player-item").filter({ hasText: "you" })).toContainText("Vera");
  await shot(vera!, "seated-laptop");

  // A reload keeps the seat.
  await vera!.reload();
  await expect(vera!.getByTestId("room")).toHaveAttribute("data-phase", "lobby");
  await expect(ann!.getByTestId("player-item")).toHaveCount(3);
  await expect(vera!.getByTestId("spectator-banner")).toHaveCount(0);

  for (const c of contexts) await c.close();
});
