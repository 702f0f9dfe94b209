// Hostile players, seen from real browsers: a nickname made of HTML shows as text and runs
// nothing, and three players in three contexts vote a disruptive one out of the room. Votes count
// once per network, so each context comes from its own (the test server trusts one proxy's
// X-Forwarded-For, global-setup.ts; documentation addresses, nothing is sent to them).
import { expect, test, type Browser, type Page } from "@playwright/test";

const shots = "artifacts/screenshots";

let networks = 0;
/** A browser context on a network of its own. */
async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 }, extraHTTPHeaders: { "x-forwarded-for": `198.51.100.${++networks}` } });
  return context.newPage();
}

async function openRoom(browser: Browser, nickname: string): Promise<{ page: Page; link: string }> {
  const page = await newPage(browser);
  await page.goto("/");
  await page.getByTestId("nickname-input").fill(nickname);
  await page.getByTestId("nickname-submit").click();
  await expect(page).toHaveURL(/\/r\/[A-Z2-9]{6}$/);
  return { page, link: await page.getByTestId("share-link").inputValue() };
}

async function joinRoom(browser: Browser, link: string, nickname: string): Promise<Page> {
  const page = await newPage(browser);
  await page.goto(link);
  await page.getByTestId("nickname-input").fill(nickname);
  await page.getByTestId("nickname-submit").click();
  await expect(page.getByTestId("room")).toHaveAttribute("data-phase", "lobby");
  return page;
}

test("a nickname made of HTML is shown as text and runs nothing", async ({ browser }) => {
  // 20 characters, the nickname limit: an SVG that would run its onload if inserted as HTML.
  const hostile = "<svg onload=pwned=1>";
  const { page: host, link } = await openRoom(browser, "Host");
  const guest = await joinRoom(browser, link, hostile);
  const shown = host.getByTestId("player-item").nth(1).locator(".player-name");
  await expect(shown).toHaveText(hostile);
  expect(await host.locator("[data-testid=player-list] svg").count()).toBe(0);
  for (const page of [host, guest]) expect(await page.evaluate(() => (window as { pwned?: number }).pwned)).toBeUndefined();
});

test("a lookalike of another player's nickname is shown so the two can be told apart", async ({ browser }) => {
  const { page: host, link } = await openRoom(browser, "Sam");
  // Zero-width spaces between the letters: it would read "Sam" exactly.
  await joinRoom(browser, link, "S\u200Ba\u200Bm");
  const names = host.getByTestId("player-item").locator(".player-name");
  await expect(names).toHaveCount(2);
  const [first, second] = await names.allTextContents();
  expect(first).toBe("Sam");
  expect(second).not.toBe("Sam");
  expect(second).not.toMatch(/\u200B/);
  expect(second).toMatch(/^Sam\b/);
});

test("three players: two vote the third out; the third is told, the others see it go", async ({ browser }) => {
  const { page: ann, link } = await openRoom(browser, "Ann");
  const bob = await joinRoom(browser, link, "Bob");
  const troll = await joinRoom(browser, link, "Troll");
  await expect(ann.getByTestId("player-item")).toHaveCount(3);

  const trollRow = (page: Page) => page.getByTestId("player-item").filter({ hasText: "Troll" });
  for (const page of [ann, bob]) page.on("dialog", (d) => void d.accept());
  // Nobody votes themselves out: the button is only on the others' rows.
  await expect(troll.getByTestId("player-item").filter({ hasText: "Troll" }).getByTestId("vote-kick")).toHaveCount(0);

  await trollRow(ann).getByTestId("vote-kick").click();
  await expect(trollRow(ann).getByTestId("vote-kick")).toHaveText("Voted");
  await expect(trollRow(bob).getByTestId("kick-votes")).toHaveText("1/2 votes to remove");
  await bob.screenshot({ path: `${shots}/lobby-vote-kick.png`, fullPage: true });

  await trollRow(bob).getByTestId("vote-kick").click();
  await expect(troll.getByTestId("fatal-removed")).toContainText("voted to remove you");
  await troll.screenshot({ path: `${shots}/removed.png`, fullPage: true });
  for (const page of [ann, bob]) await expect(page.getByTestId("player-item")).toHaveCount(2);
});
