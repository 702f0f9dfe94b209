// The WASM conv-gradient kernels (made of forward convs) against the CPU backend's reference kernels.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { useBackend } from "../../model/backend";
import { convGradients, maxRelDiff, type ConvCase, type ConvResults } from "../helpers/conv-gradients";

const cases: ConvCase[] = [
  { name: "3x3 same stride 1", x: [2, 7, 7, 3], k: 3, cout: 4, stride: 1, pad: "same" },
  { name: "3x3 valid stride 1", x: [2, 6, 5, 2], k: 3, cout: 3, stride: 1, pad: "valid" },
  { name: "1x1 same stride 1", x: [3, 4, 4, 5], k: 1, cout: 2, stride: 1, pad: "same" },
  { name: "3x3 same stride 2 (input grad falls back)", x: [2, 8, 8, 3], k: 3, cout: 4, stride: 2, pad: "same" },
  { name: "4x4 valid stride 2", x: [1, 9, 9, 2], k: 4, cout: 3, stride: 2, pad: "valid" },
];

async function grads(backend: "cpu" | "wasm", c: ConvCase): Promise<ConvResults> {
  await useBackend(backend);
  return convGradients(c);
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
