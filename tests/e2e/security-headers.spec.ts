// The security headers reach the browser on pages and on our own routes, and the app still works
// under its Content-Security-Policy: no violation while the home page renders, a room is created
// over socket.io and the lobby opens.
import { expect, test } from "@playwright/test";
import { E2E_ADMIN_TOKEN } from "./global-setup";

const expected: Record<string, RegExp> = {
  "content-security-policy": /default-src 'self'.*frame-ancestors 'none'/,
  "x-content-type-options": /^nosniff$/,
  "referrer-policy": /^strict-origin-when-cross-origin$/,
  "permissions-policy": /^camera=\(\), microphone=\(\), geolocation=\(\)$/,
  "cross-origin-opener-policy": /^same-origin$/,
};

for (const path of ["/", "/r/ABCDEF", "/healthz"]) {
  test(`security headers on ${path}`, async ({ request }) => {
    const response = await request.get(path);
    expect(response.status()).toBe(200);
    const headers = response.headers();
    for (const [name, value] of Object.entries(expected)) expect(headers[name], name).toMatch(value);
    const csp = headers["content-security-policy"]!;
    expect(csp).toContain("'wasm-unsafe-eval'");
    expect(csp).toMatch(/connect-src 'self' ws:\/\/127\.0\.0\.1:\d+ wss:\/\/127\.0\.0\.1:\d+/);
    expect(csp).toContain("worker-src 'self' blob:");
    expect(csp).not.toContain("'unsafe-eval'");
  });
}

test("the home page works under the CSP: the form renders and creating a room opens its lobby", async ({ page }) => {
  const violations: string[] = [];
  // Seen by the page itself (init scripts run outside the CSP) and by the console, whichever reports.
  await page.exposeFunction("reportViolation", (v: string) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) =>
      (window as unknown as { reportViolation(v: string): void }).reportViolation(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  page.on("console", (msg) => {
    if (/Content[- ]Security[- ]Policy/i.test(msg.text())) violations.push(msg.text());
  });
  const pageErrors: string[] = [];
  page.on("pageerror", (err) => pageErrors.push(err.message));

  await page.goto("/");
  await expect(page.getByTestId("nickname-form")).toBeVisible();
  await page.getByTestId("nickname-input").fill("Csp");
  await page.getByTestId("nickname-submit").click();
  await expect(page).toHaveURL(/\/r\/[A-Z2-9]{6}$/);
  // The lobby only shows once the socket.io connection (connect-src) has joined the room.
  await expect(page.getByTestId("room")).toHaveAttribute("data-phase", "lobby");
  await expect(page.getByTestId("share-link")).toHaveValue(/\/r\/[A-Z2-9]{6}$/);

  expect(violations).toEqual([]);
  expect(pageErrors).toEqual([]);
});

test("no secrets in what the browser loads: every script of the home, room and admin login pages", async ({ page, request }) => {
  const scripts = new Set<string>();
  page.on("response", (r) => {
    if (r.request().resourceType() === "script") scripts.add(r.url());
  });
  for (const path of ["/", "/r/ABCDEF", "/admin/login"]) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
  }
  expect(scripts.size).toBeGreaterThan(3);
  // The values, not the names: a page may well say "set ADMIN_TOKEN".
  const secrets = [E2E_ADMIN_TOKEN, process.env.E2E_DATABASE_URL!];
  for (const url of scripts) {
    const body = await (await request.get(url)).text();
    for (const secret of secrets) expect(body.includes(secret), `${secret} in ${url}`).toBe(false);
  }
});
