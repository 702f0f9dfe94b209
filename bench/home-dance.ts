// How soon the home page dances: headless Debian Chromium opens "/" in a fresh context (a first
// visit: nothing cached) several times per viewport; the page records when paintDance first painted
// the dance (data-first-paint-ms, performance.now() from navigation) and when the browser first
// painted anything (first-contentful-paint), so the dance's own share shows.
//   flock /tmp/heavy.lock sh -c "npx next build && npx tsx bench/home-dance.ts" [--loads 5]
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { chromium } from "@playwright/test";
import startTestServer from "../tests/e2e/global-setup";
import { CHROMIUM_ARGS } from "../playwright.config";
import { summarize } from "./lib/percentiles";

const { values: args } = parseArgs({ options: { loads: { type: "string", default: "5" } } });
const stopServer = await startTestServer();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
try {
  console.log(`load average before: ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
  for (const [name, viewport, mobile] of [["laptop 1366x768", { width: 1366, height: 768 }, false], ["phone 390x844", { width: 390, height: 844 }, true]] as const) {
    const first: number[] = [], fcp: number[] = [];
    for (let i = 0; i < Number(args.loads); i++) {
      const context = await browser.newContext({ viewport, isMobile: mobile, hasTouch: mobile });
      const page = await context.newPage();
      await page.goto(process.env.E2E_BASE_URL!);
      const dance = page.getByTestId("home-dance");
      await dance.and(page.locator("[data-first-paint-ms]")).waitFor({ timeout: 30_000 });
      first.push(Number(await dance.getAttribute("data-first-paint-ms")));
      fcp.push(await page.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN));
      await context.close();
    }
    const f = summarize(first), p = summarize(fcp);
    console.log(`${name}: first dance frame p50 ${f.p50.toFixed(0)} ms (min ${Math.min(...first).toFixed(0)}); page's first paint p50 ${p.p50.toFixed(0)} ms; dance after first paint p50 ${(f.p50 - p.p50).toFixed(0)} ms`);
  }
  console.log(`load average after: ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
} finally {
  await browser.close();
  await stopServer();
}
