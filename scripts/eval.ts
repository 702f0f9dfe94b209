// Evaluation CLI: held-out reconstruction, latent midpoints (same and cross category), prior
// samples, for the alpha-GAN and the AE; recognizability by the shipped classifier (the game's AI
// guesser, model/weights/classifier, over its categories), sharpness; then what the dance shows:
// codes refined per doodle (model/refine.ts), fidelity that blur cannot fool (chamfer distance and
// IoU of the ink, model/fidelity.ts) by category size, the classifier's agreement, and
// recognizability of the pen rendering (frames traced to centre lines and redrawn with the
// training pen, model/trace.ts), which a grey blob does not survive. A table, results.json and
// PNG grids.
//   npm run eval -- [--weights model/weights] [--classifier model/weights/classifier] [--out .data/eval]
import { mkdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs";
import type { Trainable } from "../model/alpha-gan";
import { useTrainingBackend } from "../model/node/native-conv";
import { topK } from "../model/classifier";
import { rasterizeSamples, splitHeldOut, type Sample } from "../model/dataset";
import { firstOf, hitRate, inkSharpness, meanL1, midpointPairs, midpoints, predictBatched, priorSamples, sharpness } from "../model/evaluate";
import { loadClassifierDir, SHIPPED_CLASSIFIER_DIR } from "../model/node/classifier-files";
import { loadTrainable } from "../model/node/files";
import { gridPng } from "../model/node/png";
import { loadQuickDraw } from "../model/node/quickdraw";
import { DEFAULT_REFINE, refineCodes } from "../model/refine";
import { chamferDistance, inkIoU } from "../model/fidelity";
import { rasterizePen, traceInk } from "../model/trace";
import { LINE_WIDTH, RASTER_BOX_UNITS } from "../model/rasterize";
import { slerp } from "../model/morph";

const { values: args } = parseArgs({
  options: {
    weights: { type: "string", default: "model/weights" },
    out: { type: "string", default: ".data/eval" },
    classifier: { type: "string", default: SHIPPED_CLASSIFIER_DIR },
    "max-pairs": { type: "string", default: "500" },
    samples: { type: "string", default: "500" },
    seed: { type: "string", default: "7" },
  },
});
const SIZE = 28, K = 5, seed = Number(args.seed);
console.log(`conv kernels: ${await useTrainingBackend()}`);
await mkdir(args.out, { recursive: true });

const { model: classifier, categories } = await loadClassifierDir(args.classifier);
const labelOf = new Map(categories.map((c, i) => [c, i]));
// The split is per category and by key, so restricting to the classifier's categories keeps it.
const { heldOut } = splitHeldOut((await loadQuickDraw()).filter((s) => labelOf.has(s.category)));
const held = heldOut.filter((s) => s.recognized);
const images = (samples: Sample[]) => tf.tensor4d(rasterizeSamples(samples.map((s) => s.drawing), SIZE, null), [samples.length, SIZE, SIZE, 1]);
const heldImages = images(held);
const heldLabels = held.map((s) => labelOf.get(s.category) as number);

function recognizability(imgs: tf.Tensor4D, accepted: number[][]): { top1: number; top5: number; confidence: number } {
  const { indices, maxProb } = topK(classifier, imgs, K);
  return {
    top1: hitRate(firstOf(indices, K), 1, accepted),
    top5: hitRate(indices, K, accepted),
    confidence: maxProb.reduce((a, b) => a + b, 0) / Math.max(1, maxProb.length),
  };
}

const maxPairs = Number(args["max-pairs"]);
const pairs = midpointPairs(heldLabels, maxPairs, seed);
const sameLabels = pairs.same.map(([a]) => [heldLabels[a] as number]);
const crossLabels = pairs.cross.map(([a, b]) => [heldLabels[a] as number, heldLabels[b] as number]);

type Row = { model: string; what: string; n: number; l1?: number; top1?: number; top5?: number; confidence: number; sharpness: number; inkSharpness: number };
const rows: Row[] = [];
const real = recognizability(heldImages, heldLabels.map((l) => [l]));
rows.push({ model: "real", what: "held-out", n: held.length, ...real, sharpness: sharpness(heldImages), inkSharpness: inkSharpness(heldImages) });
const realPairImages = {
  same: [tf.gather(heldImages, pairs.same.map((p) => p[0])), tf.gather(heldImages, pairs.same.map((p) => p[1]))],
  cross: [tf.gather(heldImages, pairs.cross.map((p) => p[0])), tf.gather(heldImages, pairs.cross.map((p) => p[1]))],
};

const grids: Record<string, Float32Array[][]> = { reconstructions: [], "midpoints-same": [], "midpoints-cross": [], samples: [] };
const show = 12;
const pick = (t: tf.Tensor, n = show) => Array.from({ length: Math.min(n, t.shape[0]) }, (_, i) => tf.tidy(() => tf.slice(t, i, 1).dataSync() as Float32Array));
grids.reconstructions!.push(pick(heldImages));
grids["midpoints-same"]!.push(pick(realPairImages.same[0]!), pick(realPairImages.same[1]!));
grids["midpoints-cross"]!.push(pick(realPairImages.cross[0]!), pick(realPairImages.cross[1]!));

const nets: Record<string, Trainable> = {};
for (const name of ["alpha-gan", "ae"]) {
  const dir = join(args.weights, name);
  if (await stat(dir).then(() => true, () => false)) nets[name] = await loadTrainable(dir);
}
for (const [name, net] of Object.entries(nets)) {
  const rec = tf.tidy(() => predictBatched(net.generator, predictBatched(net.encoder, heldImages)) as tf.Tensor4D);
  rows.push({ model: name, what: "reconstruction", n: held.length, l1: meanL1(rec, heldImages), ...recognizability(rec, heldLabels.map((l) => [l])), sharpness: sharpness(rec), inkSharpness: inkSharpness(rec) });
  const same = midpoints(net.encoder, net.generator, heldImages, pairs.same);
  rows.push({ model: name, what: "midpoint same-cat", n: pairs.same.length, ...recognizability(same, sameLabels), sharpness: sharpness(same), inkSharpness: inkSharpness(same) });
  const cross = midpoints(net.encoder, net.generator, heldImages, pairs.cross);
  rows.push({ model: name, what: "midpoint cross-cat", n: pairs.cross.length, ...recognizability(cross, crossLabels), sharpness: sharpness(cross), inkSharpness: inkSharpness(cross) });
  const samples = priorSamples(net.cfg, net.generator, Number(args.samples), seed);
  const sampleRec = recognizability(samples, []);
  rows.push({ model: name, what: "prior sample", n: samples.shape[0], confidence: sampleRec.confidence, sharpness: sharpness(samples), inkSharpness: inkSharpness(samples) });
  grids.reconstructions!.push(pick(rec));
  grids["midpoints-same"]!.splice(grids["midpoints-same"]!.length - 1, 0, pick(same));
  grids["midpoints-cross"]!.splice(grids["midpoints-cross"]!.length - 1, 0, pick(cross));
  for (let r = 0; r < 3; r++) grids.samples!.push(pick(tf.slice(samples, r * show, show)));
  tf.dispose([rec, same, cross, samples]);
}

const pct = (v?: number) => (v === undefined ? "" : `${(100 * v).toFixed(1)}%`);
console.log(`\nheld-out: ${held.length} recognized drawings of ${categories.length} categories; classifier top-5 over ${categories.length} classes`);
console.log(["model", "what", "n", "L1", "top-1", "top-5", "conf", "sharp", "ink-sharp"].map((h, i) => h.padEnd([10, 19, 5, 7, 7, 7, 7, 7, 9][i] as number)).join(" "));
for (const r of rows) {
  console.log([r.model.padEnd(10), r.what.padEnd(19), String(r.n).padEnd(5), (r.l1?.toFixed(4) ?? "").padEnd(7), pct(r.top1).padEnd(7), pct(r.top5).padEnd(7),
    pct(r.confidence).padEnd(7), pct(r.sharpness).padEnd(7), pct(r.inkSharpness)].join(" "));
}
const get = (model: string, what: string) => rows.find((r) => r.model === model && r.what === what);
if (nets["alpha-gan"] && nets.ae) {
  const realTop5 = real.top5;
  const ag = { rec: get("alpha-gan", "reconstruction")!, mid: get("alpha-gan", "midpoint same-cat")! };
  const ae = { mid: get("ae", "midpoint same-cat")! };
  const goals: [string, number, string, boolean][] = [
    ["reconstruction top-5 / real top-5", (ag.rec.top5 ?? 0) / realTop5, ">= 0.90", (ag.rec.top5 ?? 0) / realTop5 >= 0.9],
    ["same-cat midpoint top-5 / real top-5", (ag.mid.top5 ?? 0) / realTop5, ">= 0.80", (ag.mid.top5 ?? 0) / realTop5 >= 0.8],
    ["same-cat midpoint top-5 / AE's", (ag.mid.top5 ?? 0) / Math.max(1e-9, ae.mid.top5 ?? 0), ">= 1.5", (ag.mid.top5 ?? 0) >= 1.5 * (ae.mid.top5 ?? 0)],
    ["midpoint sharpness, alpha-GAN - AE", ag.mid.sharpness - ae.mid.sharpness, "> 0", ag.mid.sharpness > ae.mid.sharpness],
  ];
  console.log("\ngoals:");
  for (const [what, v, target, ok] of goals) console.log(`  ${what.padEnd(40)} ${v.toFixed(3).padStart(7)}  (${target})  ${ok ? "met" : "NOT met"}`);
}

// What the dance shows. Fidelity over the whole held-out split (every category); the classifier's
// measures over its categories. Category size = the category's drawings in data/.
const everything = await loadQuickDraw();
const sizeOf = new Map<string, number>();
for (const x of everything) sizeOf.set(x.category, (sizeOf.get(x.category) ?? 0) + 1);
const bucketOf = (category: string) => { const n = sizeOf.get(category) ?? 0; return n >= 500 ? ">= 500" : n >= 100 ? "100-499" : "< 100"; };
const buckets = [">= 500", "100-499", "< 100", "all"];
const allHeld = splitHeldOut(everything).heldOut.filter((x) => x.recognized);
const allImages = images(allHeld);
const allPixels = allImages.dataSync() as Float32Array;
/** Positions in allHeld of the classifier's held-out doodles, in `held`'s order (the same split, same order). */
const classified = allHeld.map((x, i) => (labelOf.has(x.category) ? i : -1)).filter((i) => i >= 0);
if (classified.length !== held.length || classified.some((i, k) => allHeld[i]!.key !== held[k]!.key)) {
  throw new Error("the classifier's held-out doodles should be the same split, in the same order");
}
const inBucket = (b: string, within: readonly number[]) => within.filter((i) => b === "all" || bucketOf(allHeld[i]!.category) === b);
const one = (flat: Float32Array, i: number) => flat.subarray(i * SIZE * SIZE, (i + 1) * SIZE * SIZE);
/** Each map traced to centre lines and redrawn with the training pen: the pen look, at the classifier's size. */
const penImages = (flat: Float32Array, rows: readonly number[]) => {
  const out = new Float32Array(rows.length * SIZE * SIZE);
  rows.forEach((r, k) => rasterizePen(traceInk(one(flat, r), SIZE), SIZE, LINE_WIDTH / RASTER_BOX_UNITS, out.subarray(k * SIZE * SIZE, (k + 1) * SIZE * SIZE)));
  return tf.tensor4d(out, [rows.length, SIZE, SIZE, 1]);
};
const gatherTop = (indices: Int32Array, rows: readonly number[]) => {
  const out = new Int32Array(rows.length * K);
  rows.forEach((r, k) => out.set(indices.subarray(r * K, (r + 1) * K), k * K));
  return out;
};
/** Top-5 hit rate of rows (positions in `held`) given every held-out doodle's top-k. */
const top5Of = (indices: Int32Array, rows: readonly number[]) => hitRate(gatherTop(indices, rows), K, rows.map((r) => [heldLabels[r]!]));
const heldRows = (b: string) => inBucket(b, classified).map((i) => classified.indexOf(i));
const realTopK = topK(classifier, heldImages, K).indices;
const realTop1 = firstOf(realTopK, K);
const realPen = penImages(heldImages.dataSync() as Float32Array, held.map((_, i) => i));
const realPenTopK = topK(classifier, realPen, K).indices;
type DanceRow = { model: string; codes: string; bucket: string; n: number; chamfer: number; iou: number; agree?: number; top5?: number; penTop5?: number; midTop5?: number; midPenTop5?: number; ms?: number };
const danceRows: DanceRow[] = buckets.map((bucket) => {
  const rows = heldRows(bucket);
  return { model: "real", codes: "-", bucket, n: inBucket(bucket, allHeld.map((_, i) => i)).length, chamfer: 0, iou: 1, agree: 1, top5: top5Of(realTopK, rows), penTop5: top5Of(realPenTopK, rows) };
});
for (const [name, net] of Object.entries(nets)) {
  const encoded = predictBatched(net.encoder, allImages) as tf.Tensor2D;
  const t0 = performance.now();
  const refined = refineCodes(net.generator, allImages, encoded);
  const refineMs = (performance.now() - t0) / allHeld.length;
  for (const [codes, z] of [["encoder", encoded], ["refined", refined]] as const) {
    const rec = predictBatched(net.generator, z) as tf.Tensor4D;
    const recPixels = rec.dataSync() as Float32Array;
    const recClassified = tf.gather(rec, classified) as tf.Tensor4D;
    const recTop = topK(classifier, recClassified, K).indices;
    const pen = penImages(recPixels, classified);
    const penTop = topK(classifier, pen, K).indices;
    // Same-category pairs' slerp midpoints (the dance's path), plain and in the pen look.
    const zRows = (tf.gather(z, classified) as tf.Tensor2D).arraySync().map((r) => Float32Array.from(r));
    const mid = tf.tidy(() => predictBatched(net.generator, tf.tensor2d(pairs.same.flatMap(([a, b]) => Array.from(slerp(zRows[a]!, zRows[b]!, 0.5))), [pairs.same.length, zRows[0]!.length])) as tf.Tensor4D);
    const midPen = penImages(mid.dataSync() as Float32Array, pairs.same.map((_, i) => i));
    const midTop5 = recognizability(mid, sameLabels).top5, midPenTop5 = recognizability(midPen, sameLabels).top5;
    for (const bucket of buckets) {
      const all = inBucket(bucket, allHeld.map((_, i) => i)), rows = heldRows(bucket);
      const mean = (idx: readonly number[], f: (i: number) => number) => idx.reduce((acc, i) => acc + f(i), 0) / Math.max(1, idx.length);
      danceRows.push({
        model: name, codes, bucket, n: all.length,
        chamfer: mean(all, (i) => chamferDistance(one(allPixels, i), one(recPixels, i), SIZE)),
        iou: mean(all, (i) => inkIoU(one(allPixels, i), one(recPixels, i))),
        agree: mean(rows, (r) => (recTop[r * K] === realTop1[r] ? 1 : 0)),
        top5: top5Of(recTop, rows),
        penTop5: top5Of(penTop, rows),
        ...(bucket === "all" ? { midTop5, midPenTop5, ms: codes === "refined" ? refineMs : undefined } : {}),
      });
    }
    if (codes === "refined") grids.reconstructions!.push(pick(recClassified));
    tf.dispose([rec, recClassified, pen, mid, midPen]);
  }
  tf.dispose([encoded, refined]);
}
const realPenRec = recognizability(realPen, heldLabels.map((l) => [l]));
tf.dispose([realPen, allImages]);
console.log(`\nwhat the dance shows (refined: ${JSON.stringify(DEFAULT_REFINE)}); n = held-out doodles of every category (chamfer in`);
console.log(`256-box units and IoU of ink > 0.5 over those); over the classifier's ${categories.length} categories: agree = same top-1 as the real doodle,`);
console.log("top-5, pen = traced and redrawn with the training pen, mid = same-category slerp midpoints");
console.log(["model", "codes", "category size", "n", "chamfer", "IoU", "agree", "top-5", "pen top-5", "mid top-5", "mid pen top-5", "refine"].map((h, i) => h.padEnd([10, 8, 14, 5, 8, 6, 7, 7, 10, 10, 14, 8][i] as number)).join(" "));
for (const r of danceRows) {
  console.log([r.model.padEnd(10), r.codes.padEnd(8), r.bucket.padEnd(14), String(r.n).padEnd(5), r.chamfer.toFixed(2).padEnd(8), r.iou.toFixed(3).padEnd(6), pct(r.agree).padEnd(7),
    pct(r.top5).padEnd(7), pct(r.penTop5).padEnd(10), pct(r.midTop5).padEnd(10), pct(r.midPenTop5).padEnd(14), r.ms === undefined ? "" : `${r.ms.toFixed(1)} ms`].join(" "));
}
console.log(`real doodles in the pen look: top-5 ${pct(realPenRec.top5)}`);
for (const [name, grid] of Object.entries(grids)) await writeFile(join(args.out, `${name}.png`), gridPng(grid, SIZE));
await writeFile(join(args.out, "results.json"), JSON.stringify({ weights: args.weights, rows, danceRows }, null, 2));
console.log(`\ngrids: ${Object.keys(grids).map((g) => join(args.out, `${g}.png`)).join(", ")}`);
console.log("  reconstructions: real / alpha-GAN / AE; midpoints: A / alpha-GAN mid / AE mid / B; samples: 3 rows alpha-GAN, 3 rows AE");
