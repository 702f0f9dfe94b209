// Messages between the main thread and data-parallel training workers (parallel.ts).
import * as tf from "@tensorflow/tfjs";
import type { BatchSlice, Group, StepLosses, Trainable } from "../alpha-gan";
import type { ModelConfig } from "../config";

export interface WorkerInit {
  checkpointDir: string | null;
  nets: Record<string, { kind: Trainable["kind"]; cfg: ModelConfig }>;
  /** false: the WASM kernels only (the benchmark's comparison); default: native where available. */
  nativeKernels: boolean;
}

export type ToWorker =
  | { type: "step"; step: number; pixels: Float32Array[]; rows: number; slice: BatchSlice }
  | { type: "mean"; grads: Float32Array[] };

export type FromWorker =
  | { type: "ready"; checksums: Record<string, number> }
  | { type: "grads"; group: Group; grads: Float32Array[] }
  | { type: "done"; losses: StepLosses };

/** Sum of |w| over every trainable weight: cheap proof that two copies of a net agree. */
export function weightChecksum(net: Trainable): number {
  const models = net.kind === "ae" ? [net.encoder, net.generator] : [net.encoder, net.generator, net.discriminator, net.codeDiscriminator];
  return tf.tidy(() => models.flatMap((m) => m.trainableWeights.map((w) => tf.sum(tf.abs(w.read())).dataSync()[0] as number)).reduce((a, b) => a + b, 0));
}
