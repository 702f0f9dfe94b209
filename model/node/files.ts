// Node-only: models, trainables and checkpoints on disk, in the tfjs model.json + weights.bin format.
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type * as tf from "@tensorflow/tfjs";
import type { Trainable } from "../alpha-gan";
import type { ModelConfig } from "../config";
import {
  modelFromFiles, modelToFiles, optimizerFromBytes, optimizerToBytes, PARTS, partsOf, trainableFromParts, WEIGHTS_FILE,
  type OptimizerBytes, type Part,
} from "../serialize";

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

function toArrayBuffer(buf: Buffer): ArrayBuffer {
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}

export async function saveModelDir(model: tf.LayersModel, dir: string): Promise<void> {
  const { json, bin } = await modelToFiles(model);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "model.json"), JSON.stringify(json));
  await writeFile(join(dir, WEIGHTS_FILE), Buffer.from(bin));
}

export async function loadModelDir(dir: string): Promise<tf.LayersModel> {
  const json = JSON.parse(await readFile(join(dir, "model.json"), "utf8"));
  return modelFromFiles({ json, bin: toArrayBuffer(await readFile(join(dir, WEIGHTS_FILE))) });
}

interface TrainableMeta { kind: Trainable["kind"]; config: ModelConfig; parts: Part[] }

/** Writes each network as <dir>/<part>/model.json + weights.bin, plus <dir>/trainable.json; optionally the optimizer state. */
export async function saveTrainable(net: Trainable, dir: string, withOptimizers: boolean): Promise<void> {
  const parts = partsOf(net);
  for (const [name, model] of Object.entries(parts)) await saveModelDir(model, join(dir, name));
  const meta: TrainableMeta = { kind: net.kind, config: net.cfg, parts: Object.keys(parts) as Part[] };
  await writeFile(join(dir, "trainable.json"), JSON.stringify(meta, null, 2));
  if (!withOptimizers) return;
  const opts: Record<string, { specs: OptimizerBytes["specs"]; offset: number; length: number }> = {};
  const chunks: Buffer[] = [];
  let offset = 0;
  for (const [name, opt] of Object.entries(net.optimizers)) {
    const { specs, bin } = await optimizerToBytes(opt);
    opts[name] = { specs, offset, length: bin.byteLength };
    chunks.push(Buffer.from(bin));
    offset += bin.byteLength;
  }
  await writeFile(join(dir, "optimizers.json"), JSON.stringify(opts));
  await writeFile(join(dir, "optimizers.bin"), Buffer.concat(chunks));
}

export async function loadTrainable(dir: string): Promise<Trainable> {
  const meta = JSON.parse(await readFile(join(dir, "trainable.json"), "utf8")) as TrainableMeta;
  const parts: Partial<Record<Part, tf.LayersModel>> = {};
  for (const name of PARTS) if (meta.parts.includes(name)) parts[name] = await loadModelDir(join(dir, name));
  const net = trainableFromParts(meta.kind, meta.config, parts);
  if (await exists(join(dir, "optimizers.json"))) {
    const opts = JSON.parse(await readFile(join(dir, "optimizers.json"), "utf8")) as Record<string, { specs: OptimizerBytes["specs"]; offset: number; length: number }>;
    const bin = await readFile(join(dir, "optimizers.bin"));
    for (const [name, o] of Object.entries(opts)) {
      const opt = (net.optimizers as Record<string, tf.Optimizer>)[name];
      if (opt) await optimizerFromBytes(opt, { specs: o.specs, bin: toArrayBuffer(bin.subarray(o.offset, o.offset + o.length)) });
    }
  }
  return net;
}

export interface CheckpointState { step: number; savedAt: string; [extra: string]: unknown }

/** Writes <dir>/checkpoint (all nets with optimizer state + state.json), replacing the previous one only once complete. */
export async function saveCheckpoint(dir: string, nets: Record<string, Trainable>, state: CheckpointState): Promise<void> {
  await replaceCheckpoint(dir, async (fresh) => {
    for (const [name, net] of Object.entries(nets)) await saveTrainable(net, join(fresh, name), true);
    await writeFile(join(fresh, "state.json"), JSON.stringify({ ...state, nets: Object.keys(nets) }, null, 2));
  });
}

/** Writes <dir>/checkpoint.new with `write`, then swaps it in for <dir>/checkpoint: a crash mid-write keeps the old one. */
export async function replaceCheckpoint(dir: string, write: (fresh: string) => Promise<void>): Promise<void> {
  const fresh = join(dir, "checkpoint.new"), current = join(dir, "checkpoint"), old = join(dir, "checkpoint.old");
  await rm(fresh, { recursive: true, force: true });
  await mkdir(fresh, { recursive: true });
  await write(fresh);
  await rm(old, { recursive: true, force: true });
  if (await exists(current)) await rename(current, old);
  await rename(fresh, current);
  await rm(old, { recursive: true, force: true });
}

/** The last complete checkpoint in dir, or null. */
export async function loadCheckpoint(dir: string): Promise<{ nets: Record<string, Trainable>; state: CheckpointState } | null> {
  for (const name of ["checkpoint", "checkpoint.old"]) {
    const path = join(dir, name);
    if (!(await exists(join(path, "state.json")))) continue;
    const state = JSON.parse(await readFile(join(path, "state.json"), "utf8")) as CheckpointState & { nets: string[] };
    const nets: Record<string, Trainable> = {};
    for (const n of state.nets) nets[n] = await loadTrainable(join(path, n));
    return { nets, state };
  }
  return null;
}
