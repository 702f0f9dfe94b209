// Trains the doodle classifier (the game's AI guesser) on data/quickdraw's training split, over the
// categories with at least --min-drawings drawings; prints progress, checkpoints every few minutes
// and on Ctrl-C, resumes from the last checkpoint, and measures top-1/top-5 on the held-out split.
//   npm run train:classifier -- [--out .data/train/classifier] [--steps 3000] [--seed 1]
//        [--min-drawings 40] [--filters 16,32,64] [--hidden 128] [--lr 1e-3] [--batch 64]
//        [--checkpoint-minutes 3] [--validate] [--export model/weights/classifier]
// --validate measures on a validation split carved out of the training split instead of the
// held-out split, for choosing settings without looking at held-out doodles.
// --steps is the step to stop at; a run whose checkpoint is already there only measures/exports.
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs";
import { useBackend } from "../model/backend";
import {
  buildClassifier, CLASSIFIER_IMAGE_SIZE, measureAccuracy, trainClassifierStep, type AccuracyReport, type ClassifierArch,
} from "../model/classifier";
import { balancedBatch, DEFAULT_AUGMENT, HELD_OUT_FRACTION, rasterizeSamples, SPLIT_SEED, splitHeldOut, type Sample } from "../model/dataset";
import { forwardFlops } from "../model/networks";
import { loadClassifierCheckpoint, saveClassifier, saveClassifierCheckpoint } from "../model/node/classifier-files";
import { gitCommit } from "../model/node/metadata";
import { loadQuickDraw, QUICKDRAW_DIR } from "../model/node/quickdraw";
import { Purpose, rngFor } from "../model/seeds";

const { values: args } = parseArgs({
  options: {
    out: { type: "string", default: ".data/train/classifier" },
    steps: { type: "string", default: "3000" },
    seed: { type: "string", default: "1" },
    "min-drawings": { type: "string", default: "40" },
    filters: { type: "string", default: "16,32,64" },
    hidden: { type: "string", default: "128" },
    lr: { type: "string", default: "1e-3" },
    batch: { type: "string", default: "64" },
    "checkpoint-minutes": { type: "string", default: "3" },
    "report-every": { type: "string", default: "50" },
    validate: { type: "boolean", default: false },
    export: { type: "string" },
  },
});

/** Settings fixed at the start of a run; a resumed run takes them from its checkpoint. */
interface RunConfig { seed: number; minDrawings: number; arch: ClassifierArch; lr: number; batch: number; categories: string[] }
interface RunState { step: number; config: RunConfig; history: { step: number; loss: number; stepsPerSec: number }[] }

const SIZE = CLASSIFIER_IMAGE_SIZE;
await useBackend("wasm");

const all = await loadQuickDraw(QUICKDRAW_DIR);
const counts = new Map<string, number>();
for (const s of all) counts.set(s.category, (counts.get(s.category) ?? 0) + 1);

const resumed = await loadClassifierCheckpoint<RunState>(args.out, (st) => tf.train.adam(st.config.lr));
const config: RunConfig = resumed?.state.config ?? {
  seed: Number(args.seed),
  minDrawings: Number(args["min-drawings"]),
  arch: { filters: args.filters.split(",").map(Number), hidden: Number(args.hidden) },
  lr: Number(args.lr),
  batch: Number(args.batch),
  categories: [...counts].filter(([, n]) => n >= Number(args["min-drawings"])).map(([c]) => c).sort(),
};
const { categories, batch, seed } = config;
const wanted = new Set(categories);
const { train, heldOut } = splitHeldOut(all.filter((s) => wanted.has(s.category)));
// Recognized drawings only: Google's own classifier missed the others, often unfinished doodles.
const recognizedTrain = train.filter((s) => s.recognized);
const inner = splitHeldOut(recognizedTrain);
const trainSet = args.validate ? inner.train : recognizedTrain;
const measureSet = args.validate ? inner.heldOut : heldOut.filter((s) => s.recognized);
const measuredOn = args.validate ? "validation split of the training split" : "held-out split, recognized drawings";
const label = new Map(categories.map((c, i) => [c, i]));
const byCategory: number[][] = categories.map(() => []);
trainSet.forEach((s, i) => byCategory[label.get(s.category) as number]!.push(i));
console.log(`data: ${categories.length} categories with >= ${config.minDrawings} drawings; ${trainSet.length} training drawings, measured on ${measureSet.length} (${measuredOn})`);

const classifier = resumed?.classifier ?? { model: buildClassifier(SIZE, categories.length, seed, config.arch), categories };
const opt = resumed?.optimizer ?? tf.train.adam(config.lr);
const state: RunState = resumed?.state ?? { step: 0, config, history: [] };
if (resumed) console.log(`resuming from step ${state.step} (${args.out})`);
console.log(`net: conv ${config.arch.filters.join("/")}, dense ${config.arch.hidden}; ${classifier.model.countParams()} params; ${(forwardFlops(classifier.model) / 1e6).toFixed(1)} MFLOP/doodle`);

const endStep = Number(args.steps);
let stop = false;
for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => { console.log(`${sig}: stopping after this step`); stop = true; });
const checkpoint = async () => {
  await saveClassifierCheckpoint(args.out, classifier, opt, state);
  console.log(`checkpoint at step ${state.step} -> ${join(args.out, "checkpoint")}`);
};

const reportEvery = Number(args["report-every"]);
const checkpointMs = Number(args["checkpoint-minutes"]) * 60_000;
let lastCheckpoint = performance.now();
let window = { time: performance.now(), step: state.step, loss: 0 };
const fmt = (s: number) => `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, "0")}s`;
while (state.step < endStep && !stop) {
  // Batch and augmentation are functions of (seed, step): a resumed run sees what an unbroken one would.
  const { indices, labels } = balancedBatch(byCategory, batch, rngFor(seed, Purpose.order, state.step));
  const pixels = rasterizeSamples(indices.map((i) => (trainSet[i] as Sample).drawing), SIZE, rngFor(seed, Purpose.augment, state.step));
  const x = tf.tensor4d(pixels, [batch, SIZE, SIZE, 1]);
  window.loss += trainClassifierStep(classifier.model, opt, x, Int32Array.from(labels), categories.length);
  x.dispose();
  state.step++;
  if (state.step % reportEvery === 0 || state.step === endStep) {
    const now = performance.now(), n = state.step - window.step;
    const sps = (n * 1000) / (now - window.time);
    const loss = window.loss / n;
    state.history.push({ step: state.step, loss, stepsPerSec: sps });
    console.log(`step ${state.step}/${endStep}  loss ${loss.toFixed(3)}  ${sps.toFixed(2)} steps/s  ETA ${fmt((endStep - state.step) / sps)}`);
    window = { time: now, step: state.step, loss: 0 };
  }
  if (performance.now() - lastCheckpoint > checkpointMs) {
    await checkpoint();
    lastCheckpoint = performance.now();
  }
}
await checkpoint();
if (stop) process.exit(0);

const report = measureAccuracy(classifier, measureSet);
printReport(report);

if (args.export) {
  await saveClassifier(classifier, args.export, {
    model: "classifier",
    input: `${SIZE}x${SIZE} bitmaps from model/rasterize.ts (ink = 1)`,
    categories: categories.length,
    minDrawingsPerCategory: config.minDrawings,
    data: {
      source: QUICKDRAW_DIR, trainedOn: trainSet.length, trainFilter: "recognized drawings of the training split",
      sampling: "class-balanced batches", augment: DEFAULT_AUGMENT, heldOutFraction: HELD_OUT_FRACTION, splitSeed: SPLIT_SEED,
    },
    arch: config.arch, params: classifier.model.countParams(), flopsPerDoodle: forwardFlops(classifier.model),
    steps: state.step, seed, batch, learningRate: config.lr,
    lossAtEnd: state.history[state.history.length - 1]?.loss ?? null,
    measuredOn, accuracy: report,
    ...gitCommit(),
  });
  const bytes = (await stat(join(args.export, "weights.bin"))).size;
  console.log(`exported to ${args.export} (weights.bin ${(bytes / 1024).toFixed(0)} KiB)`);
}

function printReport(r: AccuracyReport): void {
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`.padStart(6);
  console.log(`\n${measuredOn}:`);
  console.log(`${"category".padEnd(16)} ${"n".padStart(4)}  top-1   top-5`);
  for (const [cat, a] of Object.entries(r.perCategory)) console.log(`${cat.padEnd(16)} ${String(a.n).padStart(4)} ${pct(a.top1)}  ${pct(a.top5)}`);
  console.log(`${"overall".padEnd(16)} ${String(r.overall.n).padStart(4)} ${pct(r.overall.top1)}  ${pct(r.overall.top5)}`);
  console.log(`${"category mean".padEnd(16)} ${"".padStart(4)} ${pct(r.meanOverCategories.top1)}  ${pct(r.meanOverCategories.top5)}`);
}
