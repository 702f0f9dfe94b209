// Browser benchmarks: the e2e setup (real server on a fresh database, Debian Chromium), run from bench/.
//   npx next build && npx playwright test --config bench/playwright.config.ts
import { defineConfig } from "@playwright/test";
import base from "../playwright.config";

export default defineConfig({
  ...base,
  testDir: ".",
  testMatch: "*.spec.ts",
  outputDir: "../artifacts/playwright-bench",
  globalSetup: "../tests/e2e/global-setup.ts",
  timeout: 300_000,
});
