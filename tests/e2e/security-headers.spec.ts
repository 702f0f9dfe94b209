// The security headers reach the browser on pages and on our own routes, and the app still works
// under its Content-Security-Policy: no violation while the home page renders, a room is created
// over socket.io and the lobby opens.
import { expect, test } from "@playwright/test";

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
