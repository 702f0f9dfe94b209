// One way to pick the tfjs backend for training and inference, in Node and in the browser.
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { registerWasmConvGradKernels } from "./conv-grad-kernels";

export type BackendName = "wasm" | "cpu" | "webgl";

export interface BackendOptions {
  /** Browser only: where the tfjs-backend-wasm .wasm files are served (ends with "/"). Node finds them itself. */
  wasmPaths?: string;
  /** Benchmark baseline only: keep tfjs's own (slow) WASM conv input-gradient kernel. */
  slowInputGrad?: boolean;
}

/** Selects the backend; for WASM first installs the conv-gradient kernels training needs. */
export async function useBackend(name: BackendName = "wasm", opts: BackendOptions = {}): Promise<void> {
  if (name === "wasm") {
    registerWasmConvGradKernels({ replaceInputGrad: !opts.slowInputGrad });
    if (opts.wasmPaths) setWasmPaths(opts.wasmPaths);
  }
  if (tf.getBackend() === name) return;
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tfjs backend ${name} failed to initialise`);
  await tf.ready();
}
