// The WASM conv-gradient kernels (made of forward convs) against the CPU backend's reference kernels.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { useBackend } from "../../model/backend";

interface Case { name: string; x: [number, number, number, number]; k: number; cout: number; stride: number; pad: "same" | "valid" }
const cases: Case[] = [
  { name: "3x3 same stride 1", x: [2, 7, 7, 3], k: 3, cout: 4, stride: 1, pad: "same" },
  { name: "3x3 valid stride 1", x: [2, 6, 5, 2], k: 3, cout: 3, stride: 1, pad: "valid" },
  { name: "1x1 same stride 1", x: [3, 4, 4, 5], k: 1, cout: 2, stride: 1, pad: "same" },
  { name: "3x3 same stride 2 (input grad falls back)", x: [2, 8, 8, 3], k: 3, cout: 4, stride: 2, pad: "same" },
  { name: "4x4 valid stride 2", x: [1, 9, 9, 2], k: 4, cout: 3, stride: 2, pad: "valid" },
];

async function grads(backend: "cpu" | "wasm", c: Case): Promise<{ dx: Float32Array; dw: Float32Array }> {
  await useBackend(backend);
  return tf.tidy(() => {
    const x = tf.randomNormal(c.x, 0, 1, "float32", 1);
    const w = tf.randomNormal([c.k, c.k, c.x[3], c.cout], 0, 1, "float32", 2);
    // A fused conv with bias and relu, as layers run it.
    const f = (xx: tf.Tensor, ww: tf.Tensor) =>
      tf.sum(tf.mul(tf.fused.conv2d({ x: xx as tf.Tensor4D, filter: ww as tf.Tensor4D, strides: c.stride, pad: c.pad, bias: tf.scalar(0.1), activation: "relu" }), tf.range(1, 2, 1)));
    const [dx, dw] = tf.grads(f)([x, w]) as [tf.Tensor, tf.Tensor];
    return { dx: dx.dataSync() as Float32Array, dw: dw.dataSync() as Float32Array };
  });
}

function maxRelDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let scale = 1e-6, diff = 0;
  for (let i = 0; i < a.length; i++) { scale = Math.max(scale, Math.abs(b[i] as number)); diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number))); }
  return diff / scale;
}

describe("WASM conv gradient kernels match the CPU backend", () => {
  for (const c of cases) {
    test(c.name, async () => {
      const ref = await grads("cpu", c);
      const got = await grads("wasm", c);
      assert.ok(maxRelDiff(got.dw, ref.dw) < 1e-5, `filter grad differs by ${maxRelDiff(got.dw, ref.dw)}`);
      assert.ok(maxRelDiff(got.dx, ref.dx) < 1e-5, `input grad differs by ${maxRelDiff(got.dx, ref.dx)}`);
    });
  }

  test("the kernels leak no tensors", async () => {
    await useBackend("wasm");
    const x = tf.randomNormal([2, 6, 6, 2]), w = tf.randomNormal([3, 3, 2, 3]);
    const f = (xx: tf.Tensor, ww: tf.Tensor) => tf.sum(tf.conv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, 1, "same"));
    tf.dispose(tf.grads(f)([x, w]));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) tf.dispose(tf.grads(f)([x, w]));
    assert.equal(tf.memory().numTensors, before);
  });
});
