// Where one alpha-GAN training step spends its time, per tfjs kernel (tf.profile), single thread.
// Kernel times nest (an op's wrapper contains its kernel), so the column does not sum to the step.
//   npx tsx bench/profile-step.ts [--kernels native|wasm] [--batch 32] [--top 25]
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs";
import { buildAlphaGan } from "../model/alpha-gan";
import { DEFAULT_CONFIG } from "../model/config";
import { useTrainingBackend } from "../model/node/native-conv";
import { localRunner } from "../model/train-loop";
import { randomStepBatches } from "./lib/step-batches";

const { values: args } = parseArgs({
  options: {
    kernels: { type: "string", default: "native" },
    batch: { type: "string", default: String(DEFAULT_CONFIG.batchSize) },
    top: { type: "string", default: "25" },
  },
});
console.log(`conv kernels: ${await useTrainingBackend({ native: args.kernels !== "wasm" })}`);
const cfg = { ...DEFAULT_CONFIG, batchSize: Number(args.batch) };
const runner = localRunner({ "alpha-gan": buildAlphaGan(cfg) });
const batches = () => randomStepBatches(cfg);
// Two warm-up steps: XNNPACK operator caches, optimizer slots.
await runner(0, batches());
await runner(1, batches());
const b = batches();
const t0 = performance.now();
await runner(2, b);
const plain = performance.now() - t0;
const info = await tf.profile(async () => { await runner(3, b); });
const byKernel = new Map<string, { ms: number; calls: number }>();
for (const k of info.kernels) {
  const e = byKernel.get(k.name) ?? { ms: 0, calls: 0 };
  e.ms += k.kernelTimeMs as number;
  e.calls++;
  byKernel.set(k.name, e);
}
console.log(`batch ${cfg.batchSize}: step ${plain.toFixed(0)} ms unprofiled`);
console.log("kernel                      ms  calls");
for (const [name, e] of [...byKernel.entries()].sort((p, q) => q[1].ms - p[1].ms).slice(0, Number(args.top))) {
  console.log(`${name.padEnd(24)} ${e.ms.toFixed(1).padStart(7)} ${String(e.calls).padStart(6)}`);
}
