// Pretraining CLI: trains the alpha-GAN and its AE baseline on the same batches of data/quickdraw's
// training split, prints progress, checkpoints every few minutes and resumes from the last checkpoint.
//   npm run train -- --out .data/train/main --steps 10000 [--batch 32] [--seed 1] [--lambda 40]
//        [--lr 3e-4] [--checkpoint-minutes 5] [--nets alpha-gan,ae] [--no-augment] [--workers 2]
//        [--export model/weights] [--init model/weights]
// --steps is the step to stop at; a run whose checkpoint is already there only exports.
// --init starts a new run (no checkpoint in --out yet) from exported weights, e.g. the shipped ones,
// at the step they were exported at; their optimizer state is not exported, so Adam starts afresh.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs";
import { buildAlphaGan, buildAutoencoder, type StepLosses, type Trainable } from "../model/alpha-gan";
import { useBackend } from "../model/backend";
import { DEFAULT_CONFIG, type ModelConfig } from "../model/config";
import { DEFAULT_AUGMENT, splitHeldOut, SPLIT_SEED, HELD_OUT_FRACTION } from "../model/dataset";
import { forwardFlops } from "../model/networks";
import { loadCheckpoint, loadTrainable, saveCheckpoint, saveTrainable } from "../model/node/files";
import { useTrainingBackend } from "../model/node/native-conv";
import { gitCommit } from "../model/node/metadata";
import { startParallelTrainer } from "../model/node/parallel";
import { loadQuickDraw, QUICKDRAW_DIR } from "../model/node/quickdraw";
import { stepFlops } from "../model/flops";
import { trainLoop } from "../model/train-loop";

const { values: args } = parseArgs({
  options: {
    out: { type: "string", default: ".data/train/main" },
    steps: { type: "string", default: "10000" },
    batch: { type: "string" },
    seed: { type: "string" },
    lambda: { type: "string" },
    lr: { type: "string" },
    "checkpoint-minutes": { type: "string", default: "5" },
    "report-every": { type: "string", default: "10" },
    nets: { type: "string", default: "alpha-gan,ae" },
    "no-augment": { type: "boolean", default: false },
    export: { type: "string" },
    init: { type: "string" },
    backend: { type: "string", default: "wasm" },
    workers: { type: "string", default: "1" },
  },
});

if (args.backend === "wasm") console.log(`conv kernels: ${await useTrainingBackend()}`);
else await useBackend(args.backend as "wasm" | "cpu");
const samples = await loadQuickDraw(QUICKDRAW_DIR);
const { train, heldOut } = splitHeldOut(samples);
const trainSet = train.filter((s) => s.recognized);
const drawings = trainSet.map((s) => s.drawing);
console.log(`data: ${samples.length} drawings, ${train.length} train (${trainSet.length} recognized used), ${heldOut.length} held out`);

const resumed = await loadCheckpoint(args.out);
let nets: Record<string, Trainable>;
let startStep = 0;
let history: Record<string, unknown>[] = [];
if (resumed) {
  nets = resumed.nets;
  startStep = resumed.state.step;
  history = (resumed.state.history as Record<string, unknown>[] | undefined) ?? [];
  console.log(`resuming ${Object.keys(nets).join(", ")} from step ${startStep} (${args.out})`);
} else if (args.init) {
  nets = {};
  for (const name of args.nets.split(",")) {
    nets[name] = await loadTrainable(join(args.init, name));
    const meta = JSON.parse(await readFile(join(args.init, name, "metadata.json"), "utf8")) as { steps: number };
    if (startStep && meta.steps !== startStep) throw new Error(`--init: ${name} was exported at step ${meta.steps}, the others at ${startStep}`);
    startStep = meta.steps;
  }
  // Workers load their copies from a checkpoint, so the run starts with one.
  await saveCheckpoint(args.out, nets, { step: startStep, savedAt: new Date().toISOString(), history, initialisedFrom: args.init });
  console.log(`starting ${Object.keys(nets).join(", ")} from ${args.init} at step ${startStep}`);
} else {
  const cfg: ModelConfig = {
    ...DEFAULT_CONFIG,
    ...(args.batch ? { batchSize: Number(args.batch) } : {}),
    ...(args.seed ? { seed: Number(args.seed) } : {}),
    ...(args.lambda ? { lambda: Number(args.lambda) } : {}),
    ...(args.lr ? { learningRate: Number(args.lr) } : {}),
  };
  const builders: Record<string, (c: ModelConfig) => Trainable> = { "alpha-gan": buildAlphaGan, ae: buildAutoencoder };
  nets = {};
  for (const name of args.nets.split(",")) {
    const build = builders[name];
    if (!build) throw new Error(`unknown net ${name}; use alpha-gan and/or ae`);
    nets[name] = build(cfg);
  }
}
const initialisedFrom = (resumed?.state.initialisedFrom as string | undefined) ?? args.init ?? null;
const first = Object.values(nets)[0] as Trainable;
const cfg = first.cfg;
const flops = Object.values(nets).reduce((sum, n) => sum + stepFlops(n), 0);
for (const [name, net] of Object.entries(nets)) {
  const f = (m: tf.LayersModel) => `${m.name} ${(forwardFlops(m) / 1e6).toFixed(1)} MFLOP/ex ${m.countParams()} params`;
  console.log(`${name}: ${[net.encoder, net.generator, ...(net.kind === "alpha-gan" ? [net.discriminator, net.codeDiscriminator] : [])].map(f).join("; ")}; ${(stepFlops(net) / 1e9).toFixed(2)} GFLOP/step`);
}
console.log(`config: ${JSON.stringify(cfg)}`);

const endStep = Number(args.steps);
let stop = false;
for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => { console.log(`${sig}: stopping after this step`); stop = true; });

// Running means of every loss over the current report window.
const reportEvery = Number(args["report-every"]);
let sums: Record<string, number> = {};
let count = 0;
let windowStart = { time: performance.now(), step: startStep };
function accumulate(losses: Record<string, StepLosses>): void {
  for (const [net, l] of Object.entries(losses)) {
    for (const [group, parts] of Object.entries(l)) {
      if (!parts) continue;
      for (const [k, v] of Object.entries(parts)) sums[`${net}.${group}.${k}`] = (sums[`${net}.${group}.${k}`] ?? 0) + (v as number);
    }
  }
  count++;
}
const fmt = (s: number) => `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;

const workerCount = Number(args.workers);
const parallel = workerCount > 1 ? await startParallelTrainer(nets, workerCount, resumed || args.init ? args.out : null) : null;
if (parallel) console.log(`data-parallel over ${workerCount} worker threads`);
const done = await trainLoop({
  nets, drawings, runner: parallel?.runner, startStep, endStep, augment: !args["no-augment"],
  checkpointEverySec: Number(args["checkpoint-minutes"]) * 60,
  shouldStop: () => stop,
  onStep: (step, losses) => {
    accumulate(losses);
    if (step % reportEvery !== 0 && step !== endStep) return;
    const now = performance.now();
    const sps = ((step - windowStart.step) * 1000) / (now - windowStart.time);
    const means = Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / count]));
    const show = (k: string) => (means[k] === undefined ? "" : `${k.replace(/\.(eg|disc)\./, ".")}=${means[k]!.toFixed(3)}`);
    console.log([
      `step ${step}/${endStep}`,
      ...["alpha-gan.eg.recon", "alpha-gan.eg.rec", "alpha-gan.eg.gen", "alpha-gan.eg.code", "alpha-gan.disc.d", "alpha-gan.disc.c", "ae.eg.recon"].map(show).filter(Boolean),
      `${sps.toFixed(3)} steps/s`, `${((sps * flops) / 1e9).toFixed(1)} GFLOP/s`, `ETA ${fmt((endStep - step) / sps)}`,
    ].join("  "));
    history.push({ step, stepsPerSec: sps, ...means });
    sums = {};
    count = 0;
    windowStart = { time: now, step };
  },
  onCheckpoint: async (step) => {
    await saveCheckpoint(args.out, nets, { step, savedAt: new Date().toISOString(), history, initialisedFrom });
    console.log(`checkpoint at step ${step} -> ${join(args.out, "checkpoint")}`);
  },
});

await parallel?.close();

if (args.export) {
  const last = history[history.length - 1] ?? {};
  for (const [name, net] of Object.entries(nets)) {
    const dir = join(args.export, name);
    await saveTrainable(net, dir, false);
    const losses = Object.fromEntries(Object.entries(last).filter(([k]) => k.startsWith(`${name}.`)));
    await writeFile(join(dir, "metadata.json"), JSON.stringify({
      model: name,
      data: {
        source: QUICKDRAW_DIR, drawings: samples.length, categories: new Set(samples.map((s) => s.category)).size,
        trainedOn: drawings.length, trainFilter: "recognized drawings of the training split",
        heldOut: heldOut.length, heldOutFraction: HELD_OUT_FRACTION, splitSeed: SPLIT_SEED,
        augment: args["no-augment"] ? null : DEFAULT_AUGMENT,
      },
      steps: done, seed: cfg.seed, config: cfg, initialisedFrom,
      lossesAtEnd: { window: reportEvery, ...losses },
      ...gitCommit(),
      exportedAt: new Date().toISOString(),
    }, null, 2));
    console.log(`exported ${name} at step ${done} -> ${dir}`);
  }
}
