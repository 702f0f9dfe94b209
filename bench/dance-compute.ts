// The dance's frame compute alone, in Node on the WASM backend (the same tfjs WASM kernels the
// browser runs, single-threaded as in Chromium here): held-out doodles -> codes -> 32 slerp
// frames per morph, and tracing a morph's 32 frames to pen lines (done as they are first shown).
// Repeated, so a busy shared machine shows in the spread, not in one number.
// The in-browser, end-to-end figures come from bench/dance.ts.
//   npx tsx bench/dance-compute.ts [--players 2,8,12] [--reps 15]
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { useBackend } from "../model/backend";
import { splitHeldOut } from "../model/dataset";
import { loadTrainable } from "../model/node/files";
import { loadQuickDraw } from "../model/node/quickdraw";
import { computeDance, type DanceDoodle } from "../app/lib/dance-frames";
import { traceInk } from "../model/trace";
import { summarize } from "./lib/percentiles";

const { values: args } = parseArgs({ options: { players: { type: "string", default: "2,8,12" }, reps: { type: "string", default: "15" } } });
const WORDS = ["cat", "airplane", "house", "fish", "tree", "car", "bicycle", "flower", "bird", "clock", "umbrella", "star"];

await useBackend("wasm");
const net = await loadTrainable("model/weights/alpha-gan");
const model = { cfg: net.cfg, encoder: net.encoder, generator: net.generator };
const { heldOut } = splitHeldOut(await loadQuickDraw(undefined, WORDS));
const doodles: DanceDoodle[] = WORDS.map((w, i) => ({
  key: String(i),
  caption: w,
  strokes: heldOut.find((s) => s.category === w && s.recognized)!.drawing.map(([xs, ys], k) => ({
    id: `s-${i}-${k}-bench`,
    points: xs.map((x, j) => [Math.round(x), Math.round(ys[j]!), 0] as [number, number, number]),
  })),
}));

console.log(`load average before: ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
await computeDance(model, doodles.slice(0, 2)); // warm-up: kernels, first allocations
for (const n of args.players.split(",").map(Number)) {
  const first: number[] = [], all: number[] = [], perMorph: number[] = [], traced: number[] = [];
  for (let r = 0; r < Number(args.reps); r++) {
    const f = await computeDance(model, doodles.slice(0, n));
    first.push(f.timings.firstSegmentMs!);
    all.push(f.timings.allMs!);
    perMorph.push(...f.timings.segmentMs);
    const t0 = performance.now();
    for (const frame of f.segments[0]!) traceInk(frame, f.side);
    traced.push(performance.now() - t0);
  }
  const fmt = (xs: number[]) => {
    const s = summarize(xs);
    return `min ${Math.min(...xs).toFixed(1)} p50 ${s.p50.toFixed(1)} p95 ${s.p95.toFixed(1)}`;
  };
  console.log(`${n} doodles: first morph ready (encode ${n} + decode 32) ${fmt(first)} ms; all ${n} morphs ${fmt(all)} ms; one morph's decode ${fmt(perMorph)} ms; tracing its 32 frames ${fmt(traced)} ms`);
}
console.log(`load average after: ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
