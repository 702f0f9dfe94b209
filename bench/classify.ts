// Latency of one AI guess in Node (the server's check of a recognition claim): rasterize one
// doodle + classify it with the shipped classifier, one call at a time, as the game does.
// Held-out doodles, after a warm-up; reports the whole call and its two parts. The browser's
// figure comes from the Playwright benchmark (bench/classify-browser.spec.ts).
//   npx tsx bench/classify.ts [--calls 1000] [--backend wasm|cpu]
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs";
import { useBackend, type BackendName } from "../model/backend";
import { CLASSIFIER_IMAGE_SIZE, guessDrawing } from "../model/classifier";
import { splitHeldOut } from "../model/dataset";
import { loadClassifierDir } from "../model/node/classifier-files";
import { loadQuickDraw } from "../model/node/quickdraw";
import { rasterize } from "../model/rasterize";
import { summarize } from "./lib/percentiles";

const { values: args } = parseArgs({ options: { calls: { type: "string", default: "1000" }, backend: { type: "string", default: "wasm" } } });
await useBackend(args.backend as BackendName);
const classifier = await loadClassifierDir();
const known = new Set(classifier.categories);
const doodles = splitHeldOut((await loadQuickDraw()).filter((s) => known.has(s.category))).heldOut.map((s) => s.drawing);
const calls = Number(args.calls);
const s = CLASSIFIER_IMAGE_SIZE;

for (let i = 0; i < 50; i++) guessDrawing(classifier, doodles[i % doodles.length]!, 3);
const whole: number[] = [], raster: number[] = [], predict: number[] = [];
for (let i = 0; i < calls; i++) {
  const d = doodles[i % doodles.length]!;
  let t0 = performance.now();
  guessDrawing(classifier, d, 3);
  whole.push(performance.now() - t0);
  t0 = performance.now();
  const pixels = rasterize(d, s);
  raster.push(performance.now() - t0);
  t0 = performance.now();
  tf.tidy(() => (classifier.model.predict(tf.tensor4d(pixels, [1, s, s, 1])) as tf.Tensor).dataSync());
  predict.push(performance.now() - t0);
}
const row = (name: string, xs: number[]) => {
  const r = summarize(xs);
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return `${name.padEnd(22)} mean ${mean.toFixed(3)}  p50 ${r.p50.toFixed(3)}  p95 ${r.p95.toFixed(3)}  p99 ${r.p99.toFixed(3)}  max ${r.max.toFixed(2)} ms`;
};
console.log(`Node ${process.version}, tfjs ${tf.version.tfjs} ${tf.getBackend()}, ${classifier.categories.length} classes, ${calls} calls, load ${loadavg()[0]!.toFixed(2)}`);
console.log(row("guess (whole call)", whole));
console.log(row("  rasterize 28x28", raster));
console.log(row("  classify (predict)", predict));
