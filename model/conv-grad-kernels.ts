// Convolution gradients made of forward convolutions, for the WASM backend.
// tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter (conv training throws) and its
// Conv2DBackpropInput is ~10x slower than a forward conv, while its forward Conv2D (XNNPACK, SIMD)
// is fast. Both gradients are correlations, so they are rewritten as forward convs:
//  - filter grad: dW[a,b,i,o] = sum_{n,y,x} xpad[n, y*s+a, x*s+b, i] * dy[n,y,x,o], i.e. a conv of
//    xpad^T ([cin, H, W, batch]) with dy^T ([oh, ow, batch, cout]) dilated by the stride;
//  - input grad at stride 1: a 'full' conv of dy with the filter flipped in space and with in/out
//    channels swapped.
// Layers run the fused conv op, whose gradient calls these kernels, so registering kernels (not a
// tf.registerGradient) is what reaches them. Register before the backend is first used.
import * as tf from "@tensorflow/tfjs";

type Pad = "valid" | "same" | number | tf.backend_util.ExplicitPadding;
type RoundingMode = "floor" | "round" | "ceil" | undefined;

interface FilterGradAttrs {
  strides: [number, number] | number;
  pad: Pad;
  dataFormat: "NHWC" | "NCHW";
  dimRoundingMode?: RoundingMode;
  filterShape: [number, number, number, number];
}

interface InputGradAttrs {
  inputShape: [number, number, number, number];
  strides: [number, number] | number;
  pad: Pad;
  dataFormat: "NHWC" | "NCHW";
  dimRoundingMode?: RoundingMode;
}

function pair(v: [number, number] | number): [number, number] {
  return typeof v === "number" ? [v, v] : v;
}

export function conv2dFilterGrad(x: tf.Tensor4D, dy: tf.Tensor4D, attrs: FilterGradAttrs): tf.Tensor4D {
  return tf.tidy(() => {
    const [kh, kw, cin, cout] = attrs.filterShape;
    const [sh, sw] = pair(attrs.strides);
    const info = tf.backend_util.computeConv2DInfo(
      x.shape, attrs.filterShape, [sh, sw], 1, attrs.pad as "same", attrs.dimRoundingMode,
    );
    const { top, bottom, left, right } = info.padInfo;
    const xPad = top || bottom || left || right ? tf.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]]) : x;
    const xT = tf.transpose(xPad, [3, 1, 2, 0]);
    const dyT = tf.transpose(dy, [1, 2, 0, 3]);
    let w = tf.conv2d(xT, dyT, 1, "valid", "NHWC", [sh, sw]);
    if (w.shape[1] !== kh || w.shape[2] !== kw) w = tf.slice(w, [0, 0, 0, 0], [cin, kh, kw, cout]);
    return tf.transpose(w, [1, 2, 0, 3]);
  });
}

/** Input gradient of a stride-1 conv; null where this rewrite does not apply (strided convs). */
export function conv2dInputGrad(dy: tf.Tensor4D, filter: tf.Tensor4D, attrs: InputGradAttrs): tf.Tensor4D | null {
  const [sh, sw] = pair(attrs.strides);
  if (sh !== 1 || sw !== 1) return null;
  const [kh, kw] = filter.shape;
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape, filter.shape, 1, 1, attrs.pad as "same", attrs.dimRoundingMode,
  );
  const { top, bottom, left, right } = info.padInfo;
  const pads = [kh - 1 - top, kh - 1 - bottom, kw - 1 - left, kw - 1 - right];
  if (pads.some((p) => p < 0)) return null;
  return tf.tidy(() => {
    const [pt, pb, pl, pr] = pads as [number, number, number, number];
    const dyPad = pt || pb || pl || pr ? tf.pad(dy, [[0, 0], [pt, pb], [pl, pr], [0, 0]]) : dy;
    const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]);
    return tf.conv2d(dyPad, flipped, 1, "valid");
  });
}

let registered = false;

/**
 * Installs both kernels for the WASM backend; idempotent. The slow original input-grad kernel stays
 * the fallback for strides. `replaceInputGrad: false` adds only the missing filter-grad kernel (the
 * benchmark's baseline).
 */
export function registerWasmConvGradKernels(opts: { replaceInputGrad?: boolean } = {}): void {
  if (registered) return;
  registered = true;
  const backendName = "wasm";
  const original = tf.getKernel("Conv2DBackpropInput", backendName);
  if (tf.getKernel("Conv2DBackpropFilter", backendName) == null) {
    tf.registerKernel({
      kernelName: "Conv2DBackpropFilter",
      backendName,
      kernelFunc: ({ inputs, attrs }) =>
        conv2dFilterGrad(inputs.x as tf.Tensor4D, inputs.dy as tf.Tensor4D, attrs as unknown as FilterGradAttrs),
    });
  }
  if (opts.replaceInputGrad === false) return;
  if (original) tf.unregisterKernel("Conv2DBackpropInput", backendName);
  tf.registerKernel({
    kernelName: "Conv2DBackpropInput",
    backendName,
    // The backend runs setupFunc at initialisation; the original kernel needs it to bind its WASM export.
    setupFunc: original?.setupFunc,
    disposeFunc: original?.disposeFunc,
    kernelFunc: (args) => {
      const fast = conv2dInputGrad(
        args.inputs.dy as tf.Tensor4D, args.inputs.filter as tf.Tensor4D, args.attrs as unknown as InputGradAttrs,
      );
      if (fast) return fast;
      if (!original) throw new Error("strided Conv2DBackpropInput has no WASM kernel");
      return original.kernelFunc(args);
    },
  });
}
