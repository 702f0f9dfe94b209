// Evaluation measures shared by the eval CLI and the tests: reconstruction error, latent
// midpoints, prior samples, sharpness, classifier hit rates. Pure tfjs, no file system.
import * as tf from "@tensorflow/tfjs";
import type { ModelConfig } from "./config";
import { rngFor, Purpose, shuffled } from "./seeds";

/** Runs a model over the first axis in batches (bounds memory); returns one tensor. */
export function predictBatched(model: tf.LayersModel, x: tf.Tensor, batch = 256): tf.Tensor {
  const parts: tf.Tensor[] = [];
  for (let i = 0; i < x.shape[0]; i += batch) {
    const m = Math.min(batch, x.shape[0] - i);
    parts.push(tf.tidy(() => model.predict(tf.slice(x, i, m)) as tf.Tensor));
  }
  const out = tf.concat(parts);
  tf.dispose(parts);
  return out;
}

/** Mean absolute pixel error. */
export function meanL1(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.mean(tf.abs(tf.sub(a, b))).dataSync()[0] as number);
}

/** Share of pixels that are clearly background or clearly ink (< 0.1 or > 0.9): 1 = crisp, lower = blurry. */
export function sharpness(images: tf.Tensor): number {
  return tf.tidy(() => {
    const crisp = tf.logicalOr(tf.less(images, 0.1), tf.greater(images, 0.9));
    return tf.mean(tf.cast(crisp, "float32")).dataSync()[0] as number;
  });
}

/** Share of ink-bearing pixels (> 0.1) that are crisp (> 0.9): sharpness where the drawing is. */
export function inkSharpness(images: tf.Tensor): number {
  return tf.tidy(() => {
    const ink = tf.cast(tf.greater(images, 0.1), "float32");
    const solid = tf.cast(tf.greater(images, 0.9), "float32");
    return (tf.sum(solid).dataSync()[0] as number) / Math.max(1, tf.sum(ink).dataSync()[0] as number);
  });
}

/** Pairs of indices: same label (consecutive within a label) and different labels (seeded). */
export function midpointPairs(labels: readonly number[], maxPairs: number, seed: number): { same: [number, number][]; cross: [number, number][] } {
  const byLabel = new Map<number, number[]>();
  labels.forEach((l, i) => byLabel.set(l, [...(byLabel.get(l) ?? []), i]));
  const same: [number, number][] = [];
  for (const idx of byLabel.values()) for (let i = 0; i + 1 < idx.length; i += 2) same.push([idx[i] as number, idx[i + 1] as number]);
  const rng = rngFor(seed, Purpose.eval);
  const order = shuffled([...labels.keys()], rng);
  const cross: [number, number][] = [];
  for (let i = 0; i + 1 < order.length && cross.length < maxPairs; i += 2) {
    const a = order[i] as number, b = order[i + 1] as number;
    if (labels[a] !== labels[b]) cross.push([a, b]);
  }
  return { same: shuffled(same, rng).slice(0, maxPairs), cross };
}

/** Decoded midpoints of the encoded pairs: G((E(a) + E(b)) / 2). */
export function midpoints(encoder: tf.LayersModel, generator: tf.LayersModel, images: tf.Tensor4D, pairs: [number, number][]): tf.Tensor4D {
  return tf.tidy(() => {
    const z = predictBatched(encoder, images);
    const za = tf.gather(z, pairs.map((p) => p[0]));
    const zb = tf.gather(z, pairs.map((p) => p[1]));
    return predictBatched(generator, tf.mul(tf.add(za, zb), 0.5)) as tf.Tensor4D;
  });
}

export function priorSamples(cfg: ModelConfig, generator: tf.LayersModel, n: number, seed: number): tf.Tensor4D {
  return tf.tidy(() => predictBatched(generator, tf.randomNormal([n, cfg.latentDim], 0, 1, "float32", seed)) as tf.Tensor4D);
}

/** Share of rows whose top-k (indices laid out k per row) contains any of the accepted labels. */
export function hitRate(topIndices: Int32Array, k: number, accepted: readonly (readonly number[])[]): number {
  let hits = 0;
  accepted.forEach((labels, i) => {
    const row = topIndices.subarray(i * k, (i + 1) * k);
    if (labels.some((l) => row.includes(l))) hits++;
  });
  return accepted.length ? hits / accepted.length : 0;
}

/** Top-1 inside top-k indices: the first of each row. */
export function firstOf(topIndices: Int32Array, k: number): Int32Array {
  return Int32Array.from({ length: topIndices.length / k }, (_, i) => topIndices[i * k] as number);
}
