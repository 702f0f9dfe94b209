// The dance's pen look, measured on the rendered canvas in headless Chromium: a real round in a
// real room, three socket players draw held-out Quick, Draw! doodles, the page watches the
// gallery's dance and reads the dance canvas's pixels while it shows the players' own strokes
// (the hold) and while it shows model frames (mid-morph). For each picture: stroke width = ink
// area / skeleton length (coverage summed, over the pixels of its one-pixel skeleton, model/trace.ts
// thin()), and the share of grey edge pixels (coverage 0.1..0.9 among pixels with any ink). The
// doodles as drawn are the game pen on the same canvas, so their figures are the baseline.
// Also saves the first picture of each kind (artifacts/screenshots/dance-pen-{doodle,model}-WxH.png).
//   flock /tmp/heavy.lock sh -c "npx next build && npx tsx bench/dance-pen.ts" [--viewport 1366x768] [--samples 12]
import { mkdir, writeFile } from "node:fs/promises";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { chromium } from "@playwright/test";
import type { RoomView } from "../protocol";
import { splitHeldOut } from "../model/dataset";
import { loadQuickDraw } from "../model/node/quickdraw";
import { thin } from "../model/trace";
import { encodeGrayPng } from "../model/node/png";
import { GameClient } from "../tests/helpers/game-client";
import startTestServer from "../tests/e2e/global-setup";
import { CHROMIUM_ARGS } from "../playwright.config";

const { values: args } = parseArgs({ options: { viewport: { type: "string", default: "1366x768" }, samples: { type: "string", default: "12" } } });
const [vw, vh] = args.viewport.split("x").map(Number) as [number, number];
const WORDS = ["cat", "house", "bicycle"];

/** Stroke width (px) and grey-edge share of one canvas picture (alpha = coverage: the canvas is clear where there is no ink). */
function penFigures(alpha: Uint8ClampedArray | number[], side: number): { width: number; grey: number } {
  let area = 0, inked = 0, grey = 0;
  const ink = new Uint8Array(side * side);
  for (let i = 0; i < side * side; i++) {
    const c = (alpha[i] as number) / 255;
    area += c;
    if (c > 0.1) inked++;
    if (c > 0.1 && c < 0.9) grey++;
    ink[i] = c > 0.5 ? 1 : 0;
  }
  const skeleton = thin(ink, side).reduce((a, b) => a + b, 0);
  return { width: area / Math.max(1, skeleton), grey: grey / Math.max(1, inked) };
}

const stopServer = await startTestServer();
const base = process.env.E2E_BASE_URL!;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
try {
  console.log(`load average before: ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
  const { heldOut } = splitHeldOut(await loadQuickDraw(undefined, WORDS));
  const bots = await Promise.all(WORDS.map(async () => { const c = new GameClient(base); await c.connected(); return c; }));
  const { code } = await bots[0]!.request("room:create", { nickname: "Ann" });
  for (const [i, b] of bots.slice(1).entries()) await b.request("room:join", { code, nickname: ["Bob", "Cy"][i]! });
  const context = await browser.newContext({ viewport: { width: vw, height: vh } });
  const page = await context.newPage();
  await page.goto(`${base}/r/${code}`);
  await page.getByTestId("nickname-input").fill("Watcher");
  await page.getByTestId("nickname-submit").click();
  await page.getByTestId("model-status").and(page.locator("[data-state=ready]")).waitFor({ timeout: 120_000 });
  await bots[0]!.request("room:settings", { rounds: 1, roundSeconds: 10 });
  await bots[0]!.request("game:start", {});
  const view = (await bots[0]!.waitFor("drawing", () => bots[0]!.state?.phase === "drawing" && bots[0]!.state)) as RoomView;
  const roundId = view.rounds.at(-1)!.id;
  await Promise.all(bots.map(async (bot, i) => {
    const d = heldOut.find((s) => s.category === WORDS[i] && s.recognized)!.drawing;
    let t = 0;
    for (const [k, [xs, ys]] of d.entries()) {
      const points = xs.map((x, j) => [Math.round(x), Math.round(ys[j]!), (t += 20)] as [number, number, number]);
      const ack = await bot.request("stroke:add", { roundId, stroke: { id: `pen-stroke-${i}-${k}`, points } });
      if (!ack.ok) throw new Error(`a stroke was refused: ${JSON.stringify(ack)}`);
    }
  }));
  const dance = page.getByTestId("dance");
  await dance.and(page.locator("[data-state=playing]")).waitFor({ timeout: 60_000 });
  const samples: Record<"doodle" | "model", { width: number; grey: number }[]> = { doodle: [], model: [] };
  const want = Number(args.samples);
  let side = 0, penPx = 0;
  for (const kind of ["doodle", "model"] as const) {
    for (let k = 0; k < want; k++) {
      await page.waitForFunction((kind) => document.querySelector("[data-testid=dance]")?.getAttribute("data-shown") === kind, kind, { polling: "raf", timeout: 30_000 });
      const shot = await page.evaluate(() => {
        const c = document.querySelector("[data-testid=dance-canvas]") as HTMLCanvasElement;
        const data = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
        return { side: c.width, square: c.width === c.height, css: c.getBoundingClientRect().width, alpha: Array.from({ length: c.width * c.height }, (_, i) => data[i * 4 + 3]!) };
      });
      // A canvas caught mid-resize (the layout settling) is not a picture of the dance.
      if (!shot.square) { k--; continue; }
      side = shot.side;
      // render.ts's pen on a canvas this wide (3.5 box units of 256 at >= 320 CSS px).
      penPx = ((shot.css < 160 ? 6 : shot.css < 320 ? 4.5 : 3.5) / 256) * shot.side;
      samples[kind].push(penFigures(shot.alpha, shot.side));
      if (k === 0) {
        // The picture measured, as it was (a screenshot taken now could show a later moment).
        await mkdir("artifacts/screenshots", { recursive: true });
        await writeFile(`artifacts/screenshots/dance-pen-${kind}-${vw}x${vh}.png`, encodeGrayPng(Uint8Array.from(shot.alpha, (a) => 255 - a), shot.side, shot.side));
      }
      // The next sample from a later moment.
      await page.waitForTimeout(97);
    }
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const d = { width: mean(samples.doodle.map((s) => s.width)), grey: mean(samples.doodle.map((s) => s.grey)) };
  const m = { width: mean(samples.model.map((s) => s.width)), grey: mean(samples.model.map((s) => s.grey)) };
  console.log(`viewport ${vw}x${vh}, canvas ${side} px, the game pen there ${penPx.toFixed(1)} px`);
  console.log(`players' strokes (the pen): width ${d.width.toFixed(2)} px, grey edge share ${(100 * d.grey).toFixed(1)}% (${samples.doodle.length} pictures)`);
  console.log(`model frames:               width ${m.width.toFixed(2)} px, grey edge share ${(100 * m.grey).toFixed(1)}% (${samples.model.length} pictures)`);
  console.log(`ratio model / pen: width ${(m.width / d.width).toFixed(2)}, grey share ${(m.grey / d.grey).toFixed(2)}`);
  console.log(`load average after: ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
  for (const b of bots) b.close();
  await context.close();
} finally {
  await browser.close();
  await stopServer();
}
