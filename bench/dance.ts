// The dance in a real browser: headless Debian Chromium plays one round in a real room with
// N - 1 socket players who draw held-out Quick, Draw! doodles (the page's player draws one too),
// and we time, in the page, from the round's end (the page sees the gallery) to the first
// dance picture painted (the doodle as drawn), to the first model frame painted (due after the
// lead-in and the first hold, 2 s), whether the server's codes were used, the frames' compute
// times, and then the animation's frame rate
// (requestAnimationFrame intervals over 3 s, from 1 s after the last frame was computed;
// "dropped" = an interval over 1.5 frames, 25 ms) and the mean time to draw one frame.
// Also: the model's download (bytes over the network) and its load time, cold (fresh browser
// profile) and warm (reload: IndexedDB).
//   flock /tmp/next.lock npx tsx bench/dance.ts [--backends wasm,webgl] [--players 2,8,12]
// Needs a production build (`npx next build`) and the PostgreSQL at 127.0.0.1:5432 (as the tests).
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { chromium, type Browser, type Page } from "@playwright/test";
import type { RoomView, Stroke } from "../protocol";
import { splitHeldOut } from "../model/dataset";
import { loadQuickDraw } from "../model/node/quickdraw";
import { GameClient } from "../tests/helpers/game-client";
import startTestServer from "../tests/e2e/global-setup";
import { CHROMIUM_ARGS } from "../playwright.config";

const { values: args } = parseArgs({
  options: { backends: { type: "string", default: "wasm,webgl" }, players: { type: "string", default: "2,8,12" } },
});
const backends = args.backends.split(",");
const sizes = args.players.split(",").map(Number);

const WORDS = ["cat", "airplane", "house", "fish", "tree", "car", "bicycle", "flower", "bird", "clock", "umbrella", "star"];

async function doodles(): Promise<Stroke[][]> {
  const { heldOut } = splitHeldOut(await loadQuickDraw(undefined, WORDS));
  return WORDS.map((w, i) => {
    const d = heldOut.find((s) => s.category === w && s.recognized)!.drawing;
    let t = 0;
    return d.map(([xs, ys], k) => ({
      id: `bench-${i}-${k}-${Date.now()}`,
      points: xs.map((x, j) => [Math.round(x), Math.round(ys[j]!), (t += 20)] as [number, number, number]),
    }));
  });
}

/**
 * The in-page probe (a string: tsx would wrap a function's inner names in helpers the page lacks):
 * round end seen, first dance paint, then rAF intervals for 3 s once every frame is computed.
 */
const PROBE = `(() => {
  const probe = { galleryAt: null, firstShownAt: null, firstPaintAt: null, playingAt: null, intervals: [] };
  window.__probe = probe;
  let last = 0;
  const loop = (now) => {
    requestAnimationFrame(loop);
    const room = document.querySelector("[data-testid=room]");
    const dance = document.querySelector("[data-testid=dance]");
    if (probe.galleryAt === null && room && room.dataset.phase === "gallery") probe.galleryAt = now;
    if (probe.galleryAt !== null && probe.firstShownAt === null && dance && dance.dataset.shown) probe.firstShownAt = now;
    if (probe.galleryAt !== null && probe.firstPaintAt === null && dance && dance.dataset.firstPaintMs) probe.firstPaintAt = now;
    if (probe.playingAt === null && dance && dance.dataset.state === "playing") probe.playingAt = now;
    // The window starts 1 s after the last frame is computed: the page's own settling (React,
    // garbage from the compute) is not the animation's steady state.
    if (probe.playingAt !== null && now - probe.playingAt > 1000 && now - probe.playingAt < 4000 && last) probe.intervals.push(now - last);
    last = now;
  };
  requestAnimationFrame(loop);
})()`;

type Run = {
  backend: string; players: number; shownBackend: string; firstPictureMs: number; firstModelFrameMs: number; serverCodes: number; computeFirstMs: number; computeAllMs: number;
  fps: number; dropped: number; frames: number; p95IntervalMs: number; paintMs: number;
};

async function playRound(browser: Browser, base: string, backend: string, players: number, strokes: Stroke[][]): Promise<Run> {
  const host = new GameClient(base);
  await host.connected();
  const created = await host.request("room:create", { nickname: "Host" });
  const code = created.code as string;
  const bots = [host];
  for (let i = 1; i < players - 1; i++) {
    const bot = new GameClient(base);
    await bot.connected();
    await bot.request("room:join", { code, nickname: `Bot ${i}` });
    bots.push(bot);
  }
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/r/${code}?backend=${backend}`);
  await page.getByTestId("nickname-input").fill("Watcher");
  await page.getByTestId("nickname-submit").click();
  await page.getByTestId("model-status").and(page.locator("[data-state=ready]")).waitFor({ timeout: 120_000 });
  const shownBackend = (await page.getByTestId("model-status").getAttribute("data-backend")) ?? "";
  await host.request("room:settings", { rounds: 1, roundSeconds: 15 });
  await host.request("game:start", {});
  const view = await host.waitFor("drawing", () => host.state?.phase === "drawing" && host.state);
  const roundId = (view as RoomView).rounds.at(-1)!.id;
  await Promise.all(bots.map(async (bot, i) => {
    for (const s of strokes[i]!) await bot.request("stroke:add", { roundId, stroke: { ...s, id: `${s.id}-${code}` } });
  }));
  // Installed before anyone draws, so the round's end is seen however slow the drawing is.
  await page.evaluate(PROBE);
  // The page's player draws the last doodle with real pointer events.
  const canvas = page.getByTestId("drawing-canvas");
  const box = (await canvas.boundingBox())!;
  for (const s of strokes[players - 1]!) {
    const [x0, y0] = s.points[0]!;
    await page.mouse.move(box.x + (x0 / 256) * box.width, box.y + (y0 / 256) * box.height);
    await page.mouse.down();
    for (const [x, y] of s.points.slice(1)) await page.mouse.move(box.x + (x / 256) * box.width, box.y + (y / 256) * box.height);
    await page.mouse.up();
  }
  // A function, not a string: the page's CSP forbids eval. No named inner functions (see PROBE).
  await page.waitForFunction(
    () => {
      const p = (window as unknown as { __probe: { playingAt: number | null; intervals: number[] } }).__probe;
      return p.playingAt !== null && p.intervals.length > 0 && performance.now() - p.playingAt > 4000;
    },
    undefined,
    { timeout: 90_000, polling: 500 },
  );
  const probe = (await page.evaluate(() => (window as unknown as { __probe: unknown }).__probe)) as {
    galleryAt: number; firstShownAt: number; firstPaintAt: number; intervals: number[];
  };
  const dance = page.getByTestId("dance");
  const doodlesShown = Number(await dance.getAttribute("data-doodles"));
  if (doodlesShown !== players) throw new Error(`expected ${players} doodles in the dance, got ${doodlesShown}`);
  const iv = probe.intervals;
  const sorted = [...iv].sort((a, b) => a - b);
  const run: Run = {
    backend, players, shownBackend,
    firstPictureMs: Math.round(probe.firstShownAt - probe.galleryAt),
    firstModelFrameMs: Math.round(probe.firstPaintAt - probe.galleryAt),
    serverCodes: Number(await dance.getAttribute("data-server-codes")),
    computeFirstMs: Number(await dance.getAttribute("data-compute-first-ms")),
    computeAllMs: Number(await dance.getAttribute("data-compute-all-ms")),
    fps: Math.round((1000 * iv.length) / iv.reduce((a, b) => a + b, 0)),
    dropped: iv.filter((x) => x > 25).length,
    frames: iv.length,
    p95IntervalMs: Math.round(sorted[Math.floor(sorted.length * 0.95)]! * 10) / 10,
    paintMs: Number(await dance.getAttribute("data-paint-ms")),
  };
  for (const b of bots) b.close();
  await context.close();
  return run;
}

/** Model bytes over the network and load time, cold (new profile) then warm (reload). */
async function modelLoad(browser: Browser, base: string, backend: string) {
  const host = new GameClient(base);
  await host.connected();
  const { code } = await host.request("room:create", { nickname: "Host" });
  const context = await browser.newContext();
  const page = await context.newPage();
  let bytes = 0, files = 0;
  // Bytes as sent (content-length); requests answered from the HTTP cache never reach the network.
  page.on("response", (r) => {
    if (!/\/api\/(models|tfjs-wasm)\//.test(r.url()) || r.status() !== 200 || r.fromServiceWorker()) return;
    bytes += Number(r.headers()["content-length"] ?? 0);
    files++;
    console.log(`  ${r.url().replace(base, "")} ${r.headers()["content-length"] ?? "?"} bytes`);
  });
  await page.goto(`${base}/r/${code}?backend=${backend}`);
  await page.getByTestId("nickname-input").fill("Watcher");
  await page.getByTestId("nickname-submit").click();
  const ready = async (p: Page) => {
    const s = p.getByTestId("model-status");
    await s.and(p.locator("[data-state=ready]")).waitFor({ timeout: 120_000 });
    return { ms: Number(await s.getAttribute("data-load-ms")), cache: await s.getAttribute("data-from-cache") };
  };
  const cold = await ready(page);
  await new Promise((r) => setTimeout(r, 1000)); // let the IndexedDB save finish
  const coldBytes = bytes, coldFiles = files;
  bytes = 0;
  files = 0;
  await page.reload();
  const warm = await ready(page);
  host.close();
  await context.close();
  return { backend, coldMs: cold.ms, coldBytes, coldFiles, warmMs: warm.ms, warmFromCache: warm.cache, warmBytes: bytes, warmFiles: files };
}

// The browser tests' server: production build, fresh test database; sets E2E_BASE_URL.
const stopServer = await startTestServer();
const server = { base: process.env.E2E_BASE_URL!, stop: stopServer };
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
try {
  const strokes = await doodles();
  console.log(`load average before: ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
  for (const backend of backends) console.log(JSON.stringify(await modelLoad(browser, server.base, backend)));
  for (const backend of backends) {
    for (const players of sizes) console.log(JSON.stringify(await playRound(browser, server.base, backend, players, strokes)));
  }
  console.log(`load average after: ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
} finally {
  await browser.close();
  await server.stop();
}
