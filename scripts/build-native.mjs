// Builds the native conv kernels (model/node/native/conv-kernels.cc) for training in Node.
// Runs at npm install; never fails it: without a C++ compiler, Node's headers or an AVX2+FMA CPU,
// training falls back to the WASM kernels (model/conv-grad-kernels.ts) and says so.
//   node scripts/build-native.mjs [--force]
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const source = join(root, "model/node/native/conv-kernels.cc");
const output = join(root, "model/node/native/build/conv-kernels.node");
const headers = resolve(dirname(process.execPath), "../include/node");
const compiler = process.env.CXX || "g++";

/** Whether the kernels are built from the current source (npm test's set-up asks, to know if it needs g++). */
export function nativeUpToDate() {
  return existsSync(output) && statSync(output).mtimeMs >= statSync(source).mtimeMs;
}

export function buildNative({ force = false } = {}) {
  if (!force && nativeUpToDate()) return { built: false, output };
  if (!existsSync(join(headers, "node_api.h"))) throw new Error(`Node's C headers are not at ${headers}`);
  mkdirSync(dirname(output), { recursive: true });
  // AVX2+FMA rather than -march=native: the build may run on another machine than training does;
  // the loader checks the CPU before loading it.
  // Built beside and renamed over the old one: a training run that has the old one loaded keeps it.
  const fresh = `${output}.${process.pid}`;
  execFileSync(compiler, ["-O3", "-mavx2", "-mfma", "-std=c++17", "-shared", "-fPIC", "-Wall", "-Wextra", "-Werror",
    `-I${headers}`, source, "-o", fresh], { stdio: "inherit" });
  renameSync(fresh, output);
  return { built: true, output };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const { built } = buildNative({ force: process.argv.includes("--force") });
    console.log(built ? `native conv kernels built: ${output}` : "native conv kernels up to date");
  } catch (err) {
    console.warn(`native conv kernels not built (training will use the slower WASM kernels): ${err.message}`);
  }
}
