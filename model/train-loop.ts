// The training loop, apart from any CLI or file system: the pretraining CLI and the fine-tune job
// both drive it. Every net in `nets` (the alpha-GAN and its AE baseline) trains on the same batches.
import * as tf from "@tensorflow/tfjs";
import { trainStep, type StepLosses, type Trainable } from "./alpha-gan";
import { BatchSampler, rasterizeSamples } from "./dataset";
import type { ModelConfig } from "./config";
import type { Drawing } from "./rasterize";
import { Purpose, rngFor } from "./seeds";

/** Runs one step of every net on the step's batches (raw pixels, one array per update). */
export type StepRunner = (step: number, pixels: Float32Array[]) => Promise<Record<string, StepLosses>>;

/** Runs steps in this thread. */
export function localRunner(nets: Record<string, Trainable>): StepRunner {
  return async (step, pixels) => {
    const losses: Record<string, StepLosses> = {};
    const first = Object.values(nets)[0] as Trainable;
    const { batchSize: b, imageSize: s } = first.cfg;
    const batches = pixels.map((p) => tf.tensor4d(p, [b, s, s, 1]));
    try {
      for (const [name, net] of Object.entries(nets)) losses[name] = trainStep(net, batches, step);
    } finally {
      tf.dispose(batches);
    }
    return losses;
  };
}

export interface TrainLoopOptions {
  nets: Record<string, Trainable>;
  /** How steps run; localRunner(nets) unless given (e.g. data-parallel workers). */
  runner?: StepRunner;
  drawings: readonly Drawing[];
  /** The first step to run (a resumed run passes the checkpoint's step). */
  startStep: number;
  /** Run until this step (exclusive). */
  endStep: number;
  augment: boolean;
  /** After every step, with the number of steps done and each net's losses. */
  onStep?: (stepsDone: number, losses: Record<string, StepLosses>) => void;
  /** Called at most every checkpointEverySec and after the last step, with the number of steps done. */
  checkpointEverySec?: number;
  onCheckpoint?: (stepsDone: number) => Promise<void>;
  shouldStop?: () => boolean;
}

/** Pixels of one step's batches: one per encoder+generator update, from the shared seed and step. */
export function stepBatches(
  sampler: BatchSampler, drawings: readonly Drawing[], cfg: ModelConfig, step: number, augment: boolean,
): Float32Array[] {
  const k = cfg.generatorStepsPerDiscriminatorStep;
  return Array.from({ length: k }, (_, u) => {
    const idx = sampler.indices(step * k + u, cfg.batchSize);
    const rng = augment ? rngFor(cfg.seed, Purpose.augment, step, u) : null;
    return rasterizeSamples(idx.map((i) => drawings[i] as Drawing), cfg.imageSize, rng);
  });
}

export async function trainLoop(opts: TrainLoopOptions): Promise<number> {
  const names = Object.keys(opts.nets);
  const first = opts.nets[names[0] as string];
  if (!first) throw new Error("trainLoop needs at least one net");
  const runner = opts.runner ?? localRunner(opts.nets);
  const sampler = new BatchSampler(opts.drawings.length, first.cfg.seed);
  let lastCheckpoint = performance.now();
  let step = opts.startStep;
  while (step < opts.endStep && !opts.shouldStop?.()) {
    const losses = await runner(step, stepBatches(sampler, opts.drawings, first.cfg, step, opts.augment));
    step++;
    opts.onStep?.(step, losses);
    if (opts.onCheckpoint && performance.now() - lastCheckpoint > (opts.checkpointEverySec ?? 300) * 1000) {
      await opts.onCheckpoint(step);
      lastCheckpoint = performance.now();
    }
  }
  if (opts.onCheckpoint) await opts.onCheckpoint(step);
  return step;
}
