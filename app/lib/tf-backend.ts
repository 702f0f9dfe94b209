// Picks the page's one tfjs backend (tfjs keeps a single global backend, so every model on the
// page shares this choice): WebGPU, then WebGL, then WASM, then CPU, the first that works.
// A GPU that is really a software renderer (SwiftShader, llvmpipe: headless browsers, machines
// without a GPU driver) is skipped: measured here, the generator ran 20x slower on SwiftShader
// WebGL than on WASM (docs/benchmarks.md), so WASM is the better "GPU" there.
// `?backend=webgl|wasm|cpu|webgpu` in the page URL forces one (benchmarks, tests).
import { TFJS_WASM_URL } from "../../protocol";

export type BackendName = "webgpu" | "webgl" | "wasm" | "cpu";
export const BACKEND_ORDER: readonly BackendName[] = ["webgpu", "webgl", "wasm", "cpu"];

export type TfBackend = { tf: typeof import("@tensorflow/tfjs"); backend: BackendName; skipped: string[] };

const SOFTWARE_GPU = /swiftshader|llvmpipe|softpipe|software|basic render/i;

/** Why this machine's WebGL should not be used, or null if it is a real GPU. */
function webglProblem(): string | null {
  try {
    const canvas = document.createElement("canvas");
    const gl = canvas.getContext("webgl2") ?? canvas.getContext("webgl");
    if (!gl) return "no WebGL";
    const info = gl.getExtension("WEBGL_debug_renderer_info");
    const renderer = String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
    gl.getExtension("WEBGL_lose_context")?.loseContext();
    return SOFTWARE_GPU.test(renderer) ? `WebGL is a software renderer (${renderer})` : null;
  } catch {
    return "no WebGL";
  }
}

async function webgpuProblem(): Promise<string | null> {
  type Adapter = { isFallbackAdapter?: boolean; info?: { isFallbackAdapter?: boolean } };
  const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<Adapter | null> } }).gpu;
  if (!gpu) return "no WebGPU";
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return "no WebGPU adapter";
    if (adapter.isFallbackAdapter || adapter.info?.isFallbackAdapter) return "WebGPU is a software fallback";
    return null;
  } catch {
    return "no WebGPU";
  }
}

export function forcedBackend(search: string): BackendName | null {
  const wanted = new URLSearchParams(search).get("backend");
  return BACKEND_ORDER.find((b) => b === wanted) ?? null;
}

let chosen: Promise<TfBackend> | null = null;

/** The page's backend, chosen once; rejects when none works (the dance then says so). */
export function tfBackend(): Promise<TfBackend> {
  chosen ??= pick();
  return chosen;
}

async function pick(): Promise<TfBackend> {
  const tf = await import("@tensorflow/tfjs");
  const forced = forcedBackend(window.location.search);
  const skipped: string[] = [];
  const webgl = forced ? null : webglProblem();
  for (const name of forced ? [forced] : BACKEND_ORDER) {
    if (!forced) {
      // Without a real GPU for WebGL there is none for WebGPU either; not asking spares the page
      // Chromium's "No available adapters." console warning on such machines.
      const webgpu = () => (webgl ? Promise.resolve(`no hardware GPU (${webgl})`) : webgpuProblem());
      const problem = name === "webgpu" ? await webgpu() : name === "webgl" ? webgl : null;
      if (problem) {
        skipped.push(`${name}: ${problem}`);
        continue;
      }
    }
    try {
      if (name === "webgpu") await import("@tensorflow/tfjs-backend-webgpu");
      if (name === "wasm") {
        const wasm = await import("@tensorflow/tfjs-backend-wasm");
        wasm.setWasmPaths(TFJS_WASM_URL);
      }
      // Not tf.getBackend(): asking which backend runs would start the default one (WebGL) first.
      if (!(await tf.setBackend(name))) throw new Error("did not start");
      await tf.ready();
      return { tf, backend: name, skipped };
    } catch (err) {
      skipped.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  throw new Error(`No TensorFlow.js backend works in this browser (${skipped.join("; ")}).`);
}
