// The native conv kernels (model/node/native-conv.ts) against the CPU backend's reference kernels:
// forward with bias and activation, input and filter gradients, for the shapes the networks use and
// for the ones the native code must hand back to the WASM kernels.
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { useBackend } from "../../model/backend";
import { loadNativeConv, nativeShape, useTrainingBackend } from "../../model/node/native-conv";
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

const reference = new Map<string, ConvResults>();

before(async () => {
  await useBackend("cpu");
  for (const c of cases) reference.set(c.name, convGradients(c));
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

  test("repeated gradient steps leak no tensors", () => {
    const c = cases[0] as ConvCase;
    convGradients(c);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) convGradients(c);
    assert.equal(tf.memory().numTensors, before);
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
