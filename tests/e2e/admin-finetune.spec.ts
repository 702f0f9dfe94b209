// An admin logs in, starts a 3-step fine-tune, watches it reach 100%, publishes it; a player's
// room page in another browser context switches to the new version without reloading.
import { expect, test } from "@playwright/test";
import { seedDoodles } from "../helpers/seed-doodles";
import { E2E_ADMIN_TOKEN } from "./global-setup";

test("admin fine-tunes and publishes; a player gets the new version live", async ({ browser }) => {
  test.setTimeout(240_000);
  await seedDoodles(process.env.E2E_DATABASE_URL!, { cat: 12, "alarm clock": 8 });

  const playerContext = await browser.newContext();
  const player = await playerContext.newPage();
  await player.goto("/");
  await player.getByTestId("nickname-input").fill("Pat");
  await player.getByTestId("nickname-submit").click();
  const status = player.getByTestId("model-status");
  await expect(status).toHaveAttribute("data-version", /^shipped-/, { timeout: 60_000 });
  const before = await status.getAttribute("data-version");

  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await admin.goto("/admin");
  await expect(admin).toHaveURL(/\/admin\/login$/);
  await admin.locator("#admin-token").fill("wrong");
  await admin.getByRole("button", { name: "Log in" }).click();
  await expect(admin.locator("p.field-error")).toHaveText("Wrong admin token.");
  await admin.locator("#admin-token").fill(E2E_ADMIN_TOKEN);
  await admin.getByRole("button", { name: "Log in" }).click();
  await expect(admin.getByTestId("admin")).toBeVisible();
  await expect(admin.getByTestId("doodle-counts")).toContainText("cat");

  await admin.locator("#ft-steps").fill("lots");
  await admin.getByRole("button", { name: "Start fine-tune" }).click();
  await expect(admin.getByTestId("admin-error")).toContainText("steps must be a whole number");
  await admin.locator("#ft-steps").fill("3");
  await admin.getByRole("button", { name: "Start fine-tune" }).click();
  await expect(admin.getByTestId("job-progress")).toContainText("Step 3 / 3 (100%)", { timeout: 180_000 });
  await expect(admin.getByTestId("loss-chart")).toBeVisible();
  await expect(admin.getByTestId("job")).toHaveAttribute("data-status", "succeeded", { timeout: 120_000 });
  await expect(admin.getByTestId("compare")).toBeVisible();
  await admin.screenshot({ path: "artifacts/screenshots/admin-finetune.png", fullPage: true });

  const row = admin.getByTestId("versions").locator("tr", { hasText: "ready" });
  const version = await row.getAttribute("data-version");
  expect(version).toMatch(/^ft-[0-9a-f]{10}$/);
  await row.getByRole("button", { name: "Publish" }).click();
  await expect(admin.getByTestId("active-version")).toHaveText(version!);

  // the player's page hears of it over its socket: same page, no reload
  await expect(status).toHaveAttribute("data-version", version!, { timeout: 30_000 });
  expect(version).not.toBe(before);
  await player.screenshot({ path: "artifacts/screenshots/admin-finetune-player.png" });
  await playerContext.close();
  await adminContext.close();
});
