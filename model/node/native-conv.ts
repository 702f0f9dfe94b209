// Node only: routes the WASM backend's conv kernels to native AVX2+FMA code (native/conv-kernels.cc,
// built at npm install by scripts/build-native.mjs) where a conv is one it handles: stride 1,
// dilation 1, odd square kernel, 'same' padding (or a 1x1 'valid'), NHWC, fp32. That covers every
// conv in model/networks.ts. Dense layers' matrix products run on the same kernels as 1x1 convs;
// the pooling, upsampling and bias gradients and the leaky ReLU with its gradient's mask and select
// have native versions too (the next largest items in a step's profile once the convs were
// native). Anything else, and any machine without the
// build, goes to the kernels registered before (tfjs's own, or ../conv-grad-kernels.ts).
// The native code reads and writes the WASM heap in place, so the model code and the tensors are
// the same as in the browser.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { useBackend } from "../backend";
import { registerWasmConvGradKernels } from "../conv-grad-kernels";

type ConvShape = [n: number, h: number, w: number, cin: number, cout: number, k: number];

interface NativeConv {
  conv2d(shape: ConvShape, x: Float32Array, w: Float32Array, bias: Float32Array | null, out: Float32Array, activation: number, alpha: number): void;
  conv2dFilterGrad(shape: ConvShape, x: Float32Array, dy: Float32Array, dw: Float32Array): void;
  conv2dInputGrad(shape: ConvShape, dy: Float32Array, w: Float32Array, dx: Float32Array): void;
  avgPool2x2Grad(dyShape: number[], dy: Float32Array, dx: Float32Array): void;
  upsample2xGrad(dxShape: number[], dy: Float32Array, dx: Float32Array): void;
  sumRows(shape: [rows: number, cols: number], x: Float32Array, out: Float32Array): void;
  leakyRelu(n: number, x: Float32Array, out: Float32Array, alpha: number): void;
  greaterThan(n: number, x: Float32Array, out: Uint8Array, threshold: number): void;
  select(n: number, cond: Uint8Array, a: Float32Array, b: Float32Array, out: Float32Array): void;
}

const ACTIVATIONS: Record<string, number> = { linear: 0, relu: 1, leakyrelu: 2 };
export const NATIVE_BUILD = fileURLToPath(new URL("./native/build/conv-kernels.node", import.meta.url));

function cpuHasAvx2Fma(): boolean {
  if (process.platform !== "linux" || process.arch !== "x64") return false;
  const flags = /^flags\s*:(.*)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1]?.split(/\s+/) ?? [];
  return flags.includes("avx2") && flags.includes("fma");
}

let loaded: { native: NativeConv | null; reason: string } | null = null;

/** The addon, or null with the reason it can't be used here. */
export function loadNativeConv(): { native: NativeConv | null; reason: string } {
  if (loaded) return loaded;
  if (!cpuHasAvx2Fma()) loaded = { native: null, reason: "this CPU has no AVX2+FMA" };
  else if (!existsSync(NATIVE_BUILD)) loaded = { native: null, reason: "not built (node scripts/build-native.mjs)" };
  else loaded = { native: createRequire(import.meta.url)(NATIVE_BUILD) as NativeConv, reason: "native AVX2+FMA" };
  return loaded;
}

interface ConvAttrs {
  strides: number | [number, number];
  pad: unknown;
  dataFormat?: string;
  dilations?: number | [number, number];
}

const isOne = (v: number | [number, number] | undefined) => v === undefined || v === 1 || (Array.isArray(v) && v[0] === 1 && v[1] === 1);

/** The [n, h, w, cin, cout, k] a native kernel takes, or null when this conv is not one it handles. */
export function nativeShape(x: number[], filter: number[], attrs: ConvAttrs): ConvShape | null {
  const [n, h, w, cin] = x as [number, number, number, number];
  const [kh, kw, fin, cout] = filter as [number, number, number, number];
  if (x.length !== 4 || filter.length !== 4 || kh !== kw || kh % 2 === 0 || fin !== cin) return null;
  if (!isOne(attrs.strides) || !isOne(attrs.dilations) || (attrs.dataFormat ?? "NHWC") !== "NHWC") return null;
  const samePad = attrs.pad === "same" || attrs.pad === (kh - 1) / 2 || (attrs.pad === "valid" && kh === 1);
  return samePad ? [n, h, w, cin, cout, kh] : null;
}

type KernelArgs = Parameters<tf.KernelFunc>[0];

/** Replaces `name`'s WASM kernel by `run`, which returns null to hand a call to the kernel it replaces. */
function override(name: string, run: (args: KernelArgs, backend: BackendWasm) => tf.TensorInfo | null): void {
  const previous = tf.getKernel(name, "wasm");
  if (previous) tf.unregisterKernel(name, "wasm");
  tf.registerKernel({
    kernelName: name,
    backendName: "wasm",
    // The backend runs setupFunc at initialisation; the previous kernel needs it to bind its WASM export.
    setupFunc: previous?.setupFunc,
    disposeFunc: previous?.disposeFunc,
    kernelFunc: (args) => {
      const out = run(args, args.backend as BackendWasm);
      if (out) return out;
      if (!previous) throw new Error(`no WASM kernel for ${name} with these attributes`);
      return previous.kernelFunc(args);
    },
  });
}

const floats = (t: tf.TensorInfo | undefined) => t?.dtype === "float32";
const size = (t: tf.TensorInfo) => tf.util.sizeFromShape(t.shape);
/** A float32 tensor's data on the WASM heap. Take views after makeOutput: growing the heap detaches earlier ones. */
const heap = (backend: BackendWasm, t: tf.TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;

function register(native: NativeConv): void {
  const forward = ({ inputs, attrs }: KernelArgs, backend: BackendWasm): tf.TensorInfo | null => {
    const { x, filter, bias, preluActivationWeights } = inputs as Record<string, tf.TensorInfo | undefined>;
    const a = attrs as unknown as ConvAttrs & { activation?: string; leakyreluAlpha?: number };
    const activation = ACTIVATIONS[a.activation ?? "linear"];
    if (!x || !filter || !floats(x) || !floats(filter) || preluActivationWeights || activation === undefined) return null;
    const shape = nativeShape(x.shape, filter.shape, a);
    if (!shape || (bias && (!floats(bias) || size(bias) !== shape[4]))) return null;
    const out = backend.makeOutput([shape[0], shape[1], shape[2], shape[4]], "float32");
    native.conv2d(shape, heap(backend, x), heap(backend, filter), bias ? heap(backend, bias) : null, heap(backend, out), activation, a.leakyreluAlpha ?? 0.2);
    return out;
  };
  override("Conv2D", forward);
  override("FusedConv2D", forward);

  overrideGradient("Conv2DBackpropFilter", ["x", "dy"], (x, dy, a) => {
    const { filterShape } = a as unknown as { filterShape: number[] };
    const shape = nativeShape(x.shape, filterShape, a as unknown as ConvAttrs);
    return shape && { shape, out: filterShape };
  }, native.conv2dFilterGrad);
  overrideGradient("Conv2DBackpropInput", ["dy", "filter"], (dy, filter, a) => {
    const { inputShape } = a as unknown as { inputShape: number[] };
    const shape = nativeShape(inputShape, filter.shape, a as unknown as ConvAttrs);
    return shape && { shape, out: inputShape };
  }, native.conv2dInputGrad);
}

/**
 * A gradient kernel of two float32 inputs: `plan` gives the shape argument for the native `run` and
 * the output's shape, or null to hand the call back.
 */
function overrideGradient<S>(
  name: string, inputNames: [string, string],
  plan: (a: tf.TensorInfo, b: tf.TensorInfo, attrs: tf.NamedAttrMap) => { shape: S; out: number[] } | null,
  run: (shape: S, a: Float32Array, b: Float32Array, out: Float32Array) => void,
): void {
  override(name, ({ inputs, attrs }, backend) => {
    const [a, b] = inputNames.map((n) => (inputs as Record<string, tf.TensorInfo | undefined>)[n]);
    const p = a && b && floats(a) && floats(b) ? plan(a, b, attrs ?? {}) : null;
    if (!p || !a || !b) return null;
    const out = backend.makeOutput(p.out, "float32");
    run(p.shape, heap(backend, a), heap(backend, b), heap(backend, out));
    return out;
  });
}

/** Dense layers' products as 1x1 convs over a row of m "pixels"; op(A) is [m, k], op(B) is [k, n]. */
function registerMatMul(native: NativeConv): void {
  override("BatchMatMul", ({ inputs, attrs }, backend) => {
    const { a, b } = inputs as Record<string, tf.TensorInfo | undefined>;
    const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
    if (!a || !b || !floats(a) || !floats(b) || a.shape.length !== 3 || b.shape.length !== 3 || a.shape[0] !== b.shape[0]) return null;
    if (transposeA && transposeB) return null;
    const [batch, a1, a2] = a.shape as [number, number, number];
    const [, b1, b2] = b.shape as [number, number, number];
    const [m, k] = transposeA ? [a2, a1] : [a1, a2];
    const n = transposeB ? b1 : b2;
    if ((transposeB ? b2 : b1) !== k) return null;
    const out = backend.makeOutput([batch, m, n], "float32");
    const [av, bv, cv] = [heap(backend, a), heap(backend, b), heap(backend, out)];
    for (let i = 0; i < batch; i++) {
      const A = av.subarray(i * m * k, (i + 1) * m * k), B = bv.subarray(i * k * n, (i + 1) * k * n), C = cv.subarray(i * m * n, (i + 1) * m * n);
      // A [m,k] x B [k,n]: a 1x1 conv of m pixels with k channels and filter B.
      if (!transposeA && !transposeB) native.conv2d([1, 1, m, k, n, 1], A, B, null, C, 0, 0);
      // A stored [k,m]: C = A^T B is a 1x1 filter gradient summed over k "pixels".
      else if (transposeA) native.conv2dFilterGrad([1, 1, k, m, n, 1], A, B, C);
      // B stored [n,k]: C = A B^T is a 1x1 input gradient with filter B viewed as [n in, k out].
      else native.conv2dInputGrad([1, 1, m, n, k, 1], A, B, C);
    }
    return out;
  });
}

function registerPerPixel(native: NativeConv): void {
  const two = (v: unknown) => v === 2 || (Array.isArray(v) && v[0] === 2 && v[1] === 2);
  overrideGradient("AvgPoolGrad", ["dy", "input"], (dy, input, a) => {
    const [n, h, w, c] = dy.shape as [number, number, number, number];
    const fits = dy.shape.length === 4 && two(a.filterSize) && two(a.strides) && a.pad === "valid" && input.shape[1] === 2 * h && input.shape[2] === 2 * w;
    return fits ? { shape: [n, h, w, c], out: input.shape } : null;
  }, (shape, dy, _input, dx) => native.avgPool2x2Grad(shape, dy, dx));

  // Without corner alignment, 2x nearest-neighbour output (y, x) reads source (y >> 1, x >> 1),
  // with or without half-pixel centres.
  overrideGradient("ResizeNearestNeighborGrad", ["images", "dy"], (images, dy, a) => {
    const [n, h, w, c] = images.shape as [number, number, number, number];
    const fits = images.shape.length === 4 && !a.alignCorners && dy.shape[0] === n && dy.shape[1] === 2 * h && dy.shape[2] === 2 * w && dy.shape[3] === c;
    return fits ? { shape: [n, h, w, c], out: images.shape } : null;
  }, (shape, _images, dy, dx) => native.upsample2xGrad(shape, dy, dx));

  override("Sum", ({ inputs, attrs }, backend) => {
    const { x } = inputs as Record<string, tf.TensorInfo | undefined>;
    const { axis, keepDims } = attrs as unknown as { axis: number | number[]; keepDims: boolean };
    if (!x || !floats(x) || x.shape.length < 2) return null;
    const rank = x.shape.length;
    const axes = [...new Set((Array.isArray(axis) ? axis : [axis]).map((d) => (d < 0 ? d + rank : d)))].sort((p, q) => p - q);
    // Only the bias gradient's shape: every axis but the last (tfjs's WASM Sum transposes first).
    if (axes.length !== rank - 1 || axes.some((d, i) => d !== i)) return null;
    const cols = x.shape[rank - 1] as number;
    const rows = tf.util.sizeFromShape(x.shape.slice(0, -1));
    if (rows === 0 || cols === 0) return null;
    const out = backend.makeOutput(keepDims ? [...x.shape.slice(0, -1).map(() => 1), cols] : [cols], "float32");
    native.sumRows([rows, cols], heap(backend, x), heap(backend, out));
    return out;
  });
}

/**
 * tfjs's WASM Identity copies its input; the engine calls it for every tensor it saves for the
 * backward pass (~550 copies of activations per alpha-GAN step). Sharing the data with a reference
 * count, as the WASM Reshape kernel already does, is safe because no kernel writes into its inputs.
 */
function registerSharingIdentity(): void {
  override("Identity", ({ inputs }, backend) => {
    const { x } = inputs as { x: tf.TensorInfo };
    if (x.dtype === "string") return null;
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  });
}

/** The discriminators' leaky ReLU and the mask and select of its gradient. */
function registerElementwise(native: NativeConv): void {
  override("LeakyRelu", ({ inputs, attrs }, backend) => {
    const { x } = inputs as { x: tf.TensorInfo };
    if (!floats(x)) return null;
    const out = backend.makeOutput(x.shape, "float32");
    native.leakyRelu(size(x), heap(backend, x), heap(backend, out), (attrs as { alpha: number }).alpha);
    return out;
  });
  override("Greater", ({ inputs }, backend) => {
    const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    if (!floats(a) || !floats(b) || size(b) !== 1) return null;
    const out = backend.makeOutput(a.shape, "bool");
    const threshold = heap(backend, b)[0] as number;
    native.greaterThan(size(a), heap(backend, a), backend.typedArrayFromHeap(out) as Uint8Array, threshold);
    return out;
  });
  override("Select", ({ inputs }, backend) => {
    const { condition, t, e } = inputs as { condition: tf.TensorInfo; t: tf.TensorInfo; e: tf.TensorInfo };
    const n = size(t);
    if (condition.dtype !== "bool" || !floats(t) || !floats(e) || size(condition) !== n || size(e) !== n) return null;
    const out = backend.makeOutput(t.shape, "float32");
    native.select(n, backend.typedArrayFromHeap(condition) as Uint8Array, heap(backend, t), heap(backend, e), heap(backend, out));
    return out;
  });
}

let registered = false;
let identityShared = false;

/**
 * The WASM backend for training in Node: the conv-gradient kernels it lacks and an Identity that
 * shares instead of copying, then the native kernels over them where the build and the CPU allow.
 * Returns which conv kernels run.
 */
export async function useTrainingBackend(opts: { native?: boolean } = {}): Promise<string> {
  registerWasmConvGradKernels();
  if (!identityShared && !tf.findBackend("wasm")) {
    registerSharingIdentity();
    identityShared = true;
  }
  let kernels = "WASM (forward-conv gradients)";
  if (opts.native !== false) {
    const { native, reason } = loadNativeConv();
    if (native && !registered) {
      if (tf.findBackend("wasm")) throw new Error("native conv kernels must be registered before the WASM backend starts");
      register(native);
      registerMatMul(native);
      registerPerPixel(native);
      registerElementwise(native);
      registered = true;
    }
    kernels = native ? reason : `${kernels}; native kernels unavailable: ${reason}`;
  }
  await useBackend("wasm");
  return kernels;
}
