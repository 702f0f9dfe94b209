// The opening most browser tests share: a host opens a room from the home page, a guest joins by its link.
import { expect, type Page } from "@playwright/test";

/** Ann (on `host`) opens a room and Bob (on `guest`) joins by its link; `query` (e.g. "?model=off") goes on both pages' addresses. */
export async function openRoomWithGuest(host: Page, guest: Page, query = ""): Promise<void> {
  await host.goto("/");
  await host.getByTestId("nickname-input").fill("Ann");
  await host.getByTestId("nickname-submit").click();
  await expect(host).toHaveURL(/\/r\/[A-Z2-9]{6}$/);
  const link = await host.getByTestId("share-link").inputValue();
  if (query) await host.goto(`${host.url()}${query}`);
  await guest.goto(`${link}${query}`);
  await guest.getByTestId("nickname-input").fill("Bob");
  await guest.getByTestId("nickname-submit").click();
  await expect(host.getByTestId("player-item")).toHaveCount(2);
}
