// Gradients of a fused conv (bias + activation, as layers run it) on whichever backend is active,
// for comparing one backend's conv kernels against another's.
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";

export interface ConvCase {
  name: string;
  x: [number, number, number, number];
  k: number;
  cout: number;
  stride: number;
  pad: "same" | "valid";
  activation?: "relu" | "leakyrelu" | "linear";
  /** A per-channel bias (default; layers always have one of these) or none. */
  bias?: "vector" | "none";
}

export interface ConvResults { y: Float32Array; dx: Float32Array; dw: Float32Array; db: Float32Array | null }

export function convGradients(c: ConvCase): ConvResults {
  let results: ConvResults | null = null;
  tf.tidy(() => {
    const x = tf.randomNormal(c.x, 0, 1, "float32", 1);
    const w = tf.randomNormal([c.k, c.k, c.x[3], c.cout], 0, 1, "float32", 2);
    const b = tf.randomNormal([c.cout], 0, 1, "float32", 3);
    const conv = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.fused.conv2d({
      x: xx as tf.Tensor4D, filter: ww as tf.Tensor4D, strides: c.stride, pad: c.pad,
      bias: c.bias === "none" ? undefined : bb, activation: c.activation ?? "relu", leakyreluAlpha: 0.2,
    });
    const y = conv(x, w, b);
    // Weighting the outputs makes every output position's gradient different.
    const weights = tf.randomUniform(y.shape, 0.5, 1.5, "float32", 4);
    const loss = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(conv(xx, ww, bb), weights));
    const [dx, dw, db] = (c.bias === "none"
      ? tf.grads((xx: tf.Tensor, ww: tf.Tensor) => loss(xx, ww, b))([x, w])
      : tf.grads(loss)([x, w, b])) as [tf.Tensor, tf.Tensor, tf.Tensor | undefined];
    results = {
      y: y.dataSync() as Float32Array, dx: dx.dataSync() as Float32Array, dw: dw.dataSync() as Float32Array,
      db: db ? (db.dataSync() as Float32Array) : null,
    };
  });
  return results as unknown as ConvResults;
}

/** Largest absolute difference relative to the reference's largest magnitude. */
export function maxRelDiff(got: Float32Array, ref: Float32Array): number {
  assert.equal(got.length, ref.length);
  let scale = 1e-6, diff = 0;
  for (let i = 0; i < got.length; i++) {
    scale = Math.max(scale, Math.abs(ref[i] as number));
    diff = Math.max(diff, Math.abs((got[i] as number) - (ref[i] as number)));
  }
  return diff / scale;
}
