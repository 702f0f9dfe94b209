// The native kernels (model/node/native-conv.ts) against the CPU backend's reference kernels: convs
// forward with bias and activation, input and filter gradients, matrix products, pooling,
// upsampling, bias sums, leaky ReLU and its gradient's mask and select, for the shapes the networks
// use and for the ones the native code must hand back to the WASM kernels; then a whole alpha-GAN
// step against the WASM kernels.
import { execFileSync } from "node:child_process";
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs";
import { useBackend } from "../../model/backend";
import { loadNativeConv, nativeShape, useTrainingBackend } from "../../model/node/native-conv";
import { alphaGanGradients } from "../helpers/alpha-gan-gradients";
import { convGradients, maxRelDiff, type ConvCase, type ConvResults } from "../helpers/conv-gradients";

const cases: ConvCase[] = [
  // Output channels a multiple of 16 (two vectors per tile), of 8 (one), 1 and 3 (scalar paths).
  { name: "3x3, 16 -> 32, relu, vector bias", x: [3, 7, 9, 16], k: 3, cout: 32, stride: 1, pad: "same" },
  { name: "3x3, 8 -> 8 at 28x28, leaky relu", x: [2, 28, 28, 8], k: 3, cout: 8, stride: 1, pad: "same", activation: "leakyrelu" },
  { name: "3x3, 1 -> 8 (the encoder's first conv)", x: [4, 12, 12, 1], k: 3, cout: 8, stride: 1, pad: "same" },
  { name: "3x3, 8 -> 1 (the generator's output conv), linear", x: [2, 10, 10, 8], k: 3, cout: 1, stride: 1, pad: "same", activation: "linear" },
  { name: "3x3, 5 -> 3, no bias", x: [2, 6, 5, 5], k: 3, cout: 3, stride: 1, pad: "same", bias: "none" },
  { name: "1x1 same, 8 -> 24 (a residual projection)", x: [2, 7, 7, 8], k: 1, cout: 24, stride: 1, pad: "same", activation: "linear", bias: "none" },
  { name: "1x1 valid, 24 -> 8", x: [2, 5, 5, 24], k: 1, cout: 8, stride: 1, pad: "valid" },
  { name: "5x5 same, 8 -> 16", x: [2, 9, 9, 8], k: 5, cout: 16, stride: 1, pad: "same" },
  // Not handled natively: these must reach the WASM kernels and still be right.
  { name: "3x3 valid (falls back)", x: [2, 6, 5, 2], k: 3, cout: 8, stride: 1, pad: "valid" },
  { name: "3x3 same stride 2 (falls back)", x: [2, 8, 8, 3], k: 3, cout: 8, stride: 2, pad: "same" },
];

// The other kernels with native versions, each as a function whose value and gradients are compared.
const opCases: { name: string; inputs: number[][]; f: (...xs: tf.Tensor[]) => tf.Tensor }[] = [
  { name: "matMul", inputs: [[5, 7], [7, 16]], f: (a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D) },
  { name: "matMul, A transposed", inputs: [[7, 5], [7, 9]], f: (a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, true, false) },
  { name: "matMul, B transposed", inputs: [[5, 7], [1, 7]], f: (a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, false, true) },
  { name: "matMul, both transposed (falls back)", inputs: [[7, 5], [3, 7]], f: (a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, true, true) },
  { name: "batched matMul", inputs: [[3, 4, 6], [3, 6, 8]], f: (a, b) => tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D) },
  { name: "dense layer (fused matMul, bias, relu)", inputs: [[6, 10], [10, 24], [24]], f: (a, b, c) => tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias: c, activation: "relu" }) },
  { name: "2x2 average pooling", inputs: [[2, 6, 8, 12]], f: (x) => tf.avgPool(x as tf.Tensor4D, 2, 2, "valid") },
  { name: "3x3 average pooling (falls back)", inputs: [[2, 6, 6, 3]], f: (x) => tf.avgPool(x as tf.Tensor4D, 3, 3, "valid") },
  { name: "2x nearest-neighbour upsampling", inputs: [[1, 3, 5, 8]], f: (x) => tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [6, 10]) },
  { name: "3x nearest-neighbour upsampling (falls back)", inputs: [[1, 3, 3, 2]], f: (x) => tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [9, 9]) },
  { name: "sum over all but the last axis", inputs: [[2, 3, 4, 9]], f: (x) => tf.sum(x, [0, 1, 2]) },
  { name: "sum over all but the last axis, kept dims, negative axes", inputs: [[4, 5, 3]], f: (x) => tf.sum(x, [-3, -2], true) },
  { name: "sum over the last axis (falls back)", inputs: [[4, 5, 3]], f: (x) => tf.sum(x, -1) },
  { name: "leaky relu (its gradient: greater than 0, then select)", inputs: [[3, 5, 7, 8]], f: (x) => tf.leakyRelu(x, 0.2) },
  // Conditions from constants: Greater has no gradient.
  { name: "select on a > b (a tensor threshold falls back)", inputs: [[4, 6], [4, 6]], f: (x, y) => tf.where(tf.greater(tf.randomNormal([4, 6], 0, 1, "float32", 7), tf.randomNormal([4, 6], 0, 1, "float32", 8)), tf.mul(x, 2), y) },
];

function valueAndGrads(c: (typeof opCases)[number]): Float32Array[] {
  const out: Float32Array[] = [];
  tf.tidy(() => {
    const xs = c.inputs.map((shape, i) => tf.randomNormal(shape, 0, 1, "float32", 10 + i));
    const y = c.f(...xs);
    const weights = tf.randomUniform(y.shape, 0.5, 1.5, "float32", 5);
    const grads = tf.grads((...ts: tf.Tensor[]) => tf.sum(tf.mul(c.f(...ts), weights)))(xs);
    for (const t of [y, ...grads]) out.push(t.dataSync() as Float32Array);
  });
  return out;
}

const reference = new Map<string, ConvResults>();
const opReference = new Map<string, Float32Array[]>();

before(async () => {
  await useBackend("cpu");
  for (const c of cases) reference.set(c.name, convGradients(c));
  for (const c of opCases) opReference.set(c.name, valueAndGrads(c));
  const kernels = await useTrainingBackend();
  assert.equal(kernels, "native AVX2+FMA", `native conv kernels unavailable: ${kernels}`);
});

describe("native conv kernels match the CPU backend", () => {
  for (const c of cases) {
    test(c.name, () => {
      const ref = reference.get(c.name) as ConvResults;
      const got = convGradients(c);
      for (const part of ["y", "dx", "dw", "db"] as const) {
        if (ref[part] === null) continue;
        const diff = maxRelDiff(got[part] as Float32Array, ref[part] as Float32Array);
        assert.ok(diff < 2e-5, `${part} differs by ${diff}`);
      }
    });
  }

  test("repeated gradient steps leak no tensors and no WASM memory", () => {
    // A whole step: the engine saves tensors for the backward pass through the sharing Identity,
    // whose reference counts must return every buffer.
    alphaGanGradients();
    const before = { ...tf.memory(), ids: tf.engine().backend.numDataIds() };
    for (let i = 0; i < 3; i++) alphaGanGradients();
    const after = { ...tf.memory(), ids: tf.engine().backend.numDataIds() };
    assert.equal(after.numTensors, before.numTensors);
    assert.equal(after.numDataBuffers, before.numDataBuffers);
    assert.equal(after.numBytes, before.numBytes);
    assert.equal(after.ids, before.ids);
  });
});

describe("native matrix, pooling, upsampling and sum kernels match the CPU backend", () => {
  for (const c of opCases) {
    test(c.name, () => {
      const ref = opReference.get(c.name) as Float32Array[];
      const got = valueAndGrads(c);
      assert.equal(got.length, ref.length);
      got.forEach((g, i) => {
        const diff = maxRelDiff(g, ref[i] as Float32Array);
        assert.ok(diff < 2e-5, `${i === 0 ? "value" : `gradient ${i}`} differs by ${diff}`);
      });
    });
  }
});

test("2x upsampling's gradient is the sum of each 2x2 block of the output gradient", () => {
  // Checked against block sums rather than the CPU backend, whose ResizeNearestNeighborGrad gets
  // this shape (2 images, 11 channels) wrong: it differs from the block sums by up to 2.1.
  tf.tidy(() => {
    const x = tf.randomNormal([2, 3, 5, 11], 0, 1, "float32", 10);
    const w = tf.randomUniform([2, 6, 10, 11], 0.5, 1.5, "float32", 5);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.image.resizeNearestNeighbor(t as tf.Tensor4D, [6, 10]), w)))(x);
    const blockSums = tf.mul(tf.avgPool(w as tf.Tensor4D, 2, 2, "valid"), 4);
    const diff = maxRelDiff(g.dataSync() as Float32Array, blockSums.dataSync() as Float32Array);
    assert.ok(diff < 1e-6, `differs by ${diff}`);
  });
});

test("one alpha-GAN step's gradients, every network, match the WASM kernels' (run in another process)", () => {
  // Not the CPU backend's: its ResizeNearestNeighborGrad is wrong (see the upsampling test above).
  const helper = fileURLToPath(new URL("../helpers/alpha-gan-gradients.ts", import.meta.url));
  const wasm = JSON.parse(execFileSync(process.execPath, ["--import", "tsx", helper, "--kernels", "wasm"], { encoding: "utf8" })) as number[][];
  const got = alphaGanGradients();
  assert.equal(got.length, wasm.length);
  assert.ok(got.length > 20, `${got.length} gradient tensors`);
  got.forEach((g, i) => {
    const diff = maxRelDiff(Float32Array.from(g), Float32Array.from(wasm[i] as number[]));
    assert.ok(diff < 1e-4, `gradient ${i} differs by ${diff}`);
  });
});

describe("which convs go native", () => {
  const table: { x: number[]; f: number[]; attrs: Parameters<typeof nativeShape>[2]; want: number[] | null }[] = [
    { x: [2, 7, 7, 3], f: [3, 3, 3, 8], attrs: { strides: 1, pad: "same" }, want: [2, 7, 7, 3, 8, 3] },
    { x: [2, 7, 7, 3], f: [3, 3, 3, 8], attrs: { strides: [1, 1], pad: 1, dilations: [1, 1], dataFormat: "NHWC" }, want: [2, 7, 7, 3, 8, 3] },
    { x: [2, 7, 7, 3], f: [1, 1, 3, 8], attrs: { strides: 1, pad: "valid" }, want: [2, 7, 7, 3, 8, 1] },
    { x: [2, 7, 7, 3], f: [3, 3, 3, 8], attrs: { strides: 1, pad: "valid" }, want: null },
    { x: [2, 7, 7, 3], f: [3, 3, 3, 8], attrs: { strides: 2, pad: "same" }, want: null },
    { x: [2, 7, 7, 3], f: [3, 3, 3, 8], attrs: { strides: 1, pad: "same", dilations: 2 }, want: null },
    { x: [2, 7, 7, 3], f: [2, 2, 3, 8], attrs: { strides: 1, pad: "same" }, want: null },
    { x: [2, 7, 7, 3], f: [3, 1, 3, 8], attrs: { strides: 1, pad: "same" }, want: null },
    { x: [2, 3, 7, 7], f: [3, 3, 3, 8], attrs: { strides: 1, pad: "same", dataFormat: "NCHW" }, want: null },
  ];
  for (const row of table) {
    test(`${row.x} * ${row.f} ${JSON.stringify(row.attrs)} -> ${row.want ? "native" : "WASM"}`, () => {
      assert.deepEqual(nativeShape(row.x, row.f, row.attrs), row.want);
    });
  }
});

describe("the addon refuses bad calls instead of reading out of bounds", () => {
  test("wrong lengths, shapes and types throw", () => {
    const { native } = loadNativeConv();
    assert.ok(native);
    const shape: [number, number, number, number, number, number] = [1, 4, 4, 2, 8, 3];
    const x = new Float32Array(32), w = new Float32Array(144), out = new Float32Array(128);
    assert.doesNotThrow(() => native.conv2d(shape, x, w, null, out, 0, 0));
    assert.throws(() => native.conv2d(shape, new Float32Array(31), w, null, out, 0, 0), /length does not match/);
    assert.throws(() => native.conv2d([1, 4, 4, 2, 8, 2], x, new Float32Array(64), null, out, 0, 0), /odd/);
    assert.throws(() => native.conv2d([1, 4, 4, 2, 8, 0] as typeof shape, x, w, null, out, 0, 0), /positive integers/);
    assert.throws(() => native.conv2d(shape, x, w, new Float32Array(3), out, 0, 0), /length does not match/);
    assert.throws(() => native.conv2d(shape, x, w, null, out, 7, 0), /unknown activation/);
    assert.throws(() => native.conv2dFilterGrad(shape, x, out, new Float64Array(144) as unknown as Float32Array), /Float32Array/);
    assert.throws(() => native.conv2dInputGrad(shape, out, w, new Float32Array(3)), /length does not match/);
  });
});
