// The dance's codes, made on the server: each doodle's latent code is the encoder's guess refined
// against the doodle (model/refine.ts), by the active model version, in one worker thread so the
// game's event loop never waits on it. Every browser in the room then morphs these same codes.
// Recently made codes are kept (the results dance shows doodles already coded after their round).
import { createHash } from "node:crypto";
import type { Worker } from "node:worker_threads";
import type { DanceCodes } from "../../protocol";
import { startTsWorker } from "../../model/node/ts-worker";
import type { Drawing } from "../../model/rasterize";
import { DEFAULT_REFINE } from "../../model/refine";
import { log } from "../log";

/** The files of a model version that the worker loads: alpha-gan/trainable.json and the encoder's and generator's model.json + weights.bin. */
export const CODER_FILES = ["alpha-gan/trainable.json", ...["encoder", "generator"].flatMap((p) => [`alpha-gan/${p}/model.json`, `alpha-gan/${p}/weights.bin`])];

export type ToCoder = { id: number; version: string; files?: Record<string, Uint8Array>; drawings: Drawing[]; steps: number };
export type FromCoder = { type: "codes"; id: number; values: number[][]; ms: number } | { type: "error"; id: number; message: string };

export interface DanceCoder {
  /** Refined codes for these doodles by the active model version. */
  codes(drawings: readonly Drawing[]): Promise<DanceCodes>;
  close(): Promise<void>;
}

export type CoderOptions = {
  /**
   * Refinement steps per doodle (DANCE_REFINE_STEPS; 0 = the encoder's codes as they are). Cost and
   * fit per step count are in docs/benchmarks.md: operators of many rooms may trade one for the other.
   */
  steps?: number;
};

export const MAX_REFINE_STEPS = 500;

/** DANCE_REFINE_STEPS as a number of steps (undefined: the default); anything else stops the start with words. */
export function refineStepsSetting(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > MAX_REFINE_STEPS) {
    throw new Error(`DANCE_REFINE_STEPS must be a whole number from 0 to ${MAX_REFINE_STEPS}, not "${value}".`);
  }
  return n;
}

export type CoderSource = {
  /** The version players use now. */
  activeVersion(): Promise<string>;
  /** One file of a version (CODER_FILES); null if missing. */
  file(version: string, path: string): Promise<Buffer | null>;
};

/** Codes kept, by version and doodle: a full game of 12 players and 12 rounds holds 144. */
const KEEP = 512;
/** Four decimals: what the room state carries, so every browser decodes exactly the same numbers. */
const round4 = (v: number) => Math.round(v * 1e4) / 1e4;

export function workerDanceCoder(source: CoderSource, options: CoderOptions = {}): DanceCoder {
  const steps = options.steps ?? DEFAULT_REFINE.steps;
  const kept = new Map<string, number[]>();
  const waiting = new Map<number, { resolve: (v: number[][]) => void; reject: (e: Error) => void }>();
  const loaded = new Set<string>();
  let seq = 0;
  let worker: Worker | null = null;

  function start(): Worker {
    if (worker) return worker;
    const w = startTsWorker(new URL("./dance-coder-worker.ts", import.meta.url));
    w.on("message", (m: FromCoder) => {
      const job = waiting.get(m.id);
      waiting.delete(m.id);
      if (m.type === "codes") job?.resolve(m.values);
      else job?.reject(new Error(m.message));
    });
    w.on("exit", (code) => {
      worker = null;
      loaded.clear();
      for (const job of waiting.values()) job.reject(new Error(`dance coder exited (${code})`));
      waiting.clear();
    });
    w.on("error", (err) => log.warn("the dance coder failed", err));
    w.unref();
    worker = w;
    return w;
  }

  async function filesOf(version: string): Promise<Record<string, Uint8Array>> {
    const entries = await Promise.all(CODER_FILES.map(async (path) => {
      const body = await source.file(version, path);
      if (!body) throw new Error(`model ${version} has no ${path}`);
      return [path, new Uint8Array(body)] as const;
    }));
    return Object.fromEntries(entries);
  }

  return {
    async codes(drawings) {
      const version = await source.activeVersion();
      const keys = drawings.map((d) => `${version}:${steps}:${createHash("sha256").update(JSON.stringify(d)).digest("base64")}`);
      const missing = drawings.filter((_, i) => !kept.has(keys[i]!));
      if (missing.length > 0) {
        const files = loaded.has(version) ? undefined : await filesOf(version);
        const w = start();
        const id = ++seq;
        const values = await new Promise<number[][]>((resolve, reject) => {
          waiting.set(id, { resolve, reject });
          w.postMessage({ id, version, files, drawings: missing, steps } satisfies ToCoder);
        });
        loaded.add(version);
        let k = 0;
        drawings.forEach((_, i) => {
          if (!kept.has(keys[i]!)) kept.set(keys[i]!, values[k++]!.map(round4));
        });
        while (kept.size > KEEP) kept.delete(kept.keys().next().value as string);
      }
      return { version, values: keys.map((key) => kept.get(key)!) };
    },
    async close() {
      const w = worker;
      worker = null;
      await w?.terminate();
    },
  };
}
