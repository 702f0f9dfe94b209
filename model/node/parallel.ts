// Node-only: data-parallel training over worker_threads. WASM threads are off in Node, so one
// thread uses one core; each worker has its own tfjs WASM backend and a full copy of every net,
// computes gradients on its rows of each batch, and all apply the mean gradient (the main thread
// too, so its nets stay current for checkpoints). Mean of per-slice mean gradients = the
// full-batch gradient, so a step matches the single-thread step up to float summation order.
import type { Worker } from "node:worker_threads";
import * as tf from "@tensorflow/tfjs";
import { applyGrads, variableGroups, type Group, type StepLosses, type Trainable } from "../alpha-gan";
import type { StepRunner } from "../train-loop";
import type { FromWorker, ToWorker, WorkerInit } from "./parallel-protocol";
import { weightChecksum } from "./parallel-protocol";
import { startTsWorker } from "./ts-worker";

/**
 * A worker's messages in order; a worker error rejects the pending and every later receive. (Not a
 * Promise.race against a never-settling "failed" promise per receive: each race leaves a reaction on
 * that promise holding its result, so every gradient message ever received stayed reachable, ~9 MB
 * per step, until a 10,000-step run ran the machine out of memory.)
 */
class Inbox {
  private queue: FromWorker[] = [];
  private waiting: { resolve: (m: FromWorker) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;
  constructor(worker: Worker) {
    worker.on("message", (m: FromWorker) => {
      if (this.waiting) { const w = this.waiting; this.waiting = null; w.resolve(m); } else this.queue.push(m);
    });
    worker.on("error", (e: Error) => {
      this.failure = e;
      if (this.waiting) { const w = this.waiting; this.waiting = null; w.reject(e); }
    });
  }
  next(): Promise<FromWorker> {
    const m = this.queue.shift();
    if (m) return Promise.resolve(m);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => { this.waiting = { resolve, reject }; });
  }
}

export interface ParallelTrainer { runner: StepRunner; close(): Promise<void> }

/**
 * Starts `count` workers holding copies of `nets`: built from their configs, or loaded from
 * `checkpointDir` when the nets came from there. Verifies the copies match before training.
 */
export async function startParallelTrainer(
  nets: Record<string, Trainable>, count: number, checkpointDir: string | null, opts: { nativeKernels?: boolean } = {},
): Promise<ParallelTrainer> {
  const init: WorkerInit = {
    checkpointDir,
    nativeKernels: opts.nativeKernels ?? true,
    nets: Object.fromEntries(Object.entries(nets).map(([n, net]) => [n, { kind: net.kind, cfg: net.cfg }])),
  };
  const entry = new URL("./parallel-worker.ts", import.meta.url);
  const workers = Array.from({ length: count }, () => startTsWorker(entry, { workerData: init }));
  const inboxes = workers.map((w) => new Inbox(w));
  const receive = (i: number) => (inboxes[i] as Inbox).next();
  const expected = Object.fromEntries(Object.entries(nets).map(([n, net]) => [n, weightChecksum(net)]));
  for (let i = 0; i < count; i++) {
    const m = await receive(i);
    if (m.type !== "ready") throw new Error(`worker ${i}: expected ready, got ${m.type}`);
    for (const [n, sum] of Object.entries(expected)) {
      if (Math.abs((m.checksums[n] ?? NaN) - sum) > 1e-6 * Math.max(1, Math.abs(sum))) {
        throw new Error(`worker ${i} holds different ${n} weights (${m.checksums[n]} vs ${sum})`);
      }
    }
  }

  const runner: StepRunner = async (step, pixels) => {
    const first = Object.values(nets)[0] as Trainable;
    const { batchSize: b, imageSize: s } = first.cfg;
    const per = Math.ceil(b / count);
    workers.forEach((w, i) => {
      const offset = i * per, rows = Math.min(per, b - offset);
      const mine = pixels.map((p) => p.slice(offset * s * s, (offset + rows) * s * s));
      const msg: ToWorker = { type: "step", step, pixels: mine, rows, slice: { offset, total: b } };
      w.postMessage(msg, mine.map((p) => p.buffer));
    });
    const losses: Record<string, StepLosses> = {};
    for (const [name, net] of Object.entries(nets)) {
      const groups = variableGroups(net);
      for (;;) {
        const msgs = await Promise.all(workers.map((_, i) => receive(i)));
        const m0 = msgs[0] as FromWorker;
        if (m0.type === "done") {
          losses[name] = meanLosses(msgs.map((m) => (m as Extract<FromWorker, { type: "done" }>).losses));
          break;
        }
        if (m0.type !== "grads") throw new Error(`unexpected ${m0.type} from worker`);
        // Weighted by rows, so an uneven split still gives the full-batch mean gradient.
        const grads = msgs.map((m) => (m as Extract<FromWorker, { type: "grads" }>).grads);
        const weights = workers.map((_, i) => Math.min(per, b - i * per) / b);
        const mean = (grads[0] as Float32Array[]).map((g0, k) => {
          const out = new Float32Array(g0.length);
          grads.forEach((gs, w) => {
            const g = gs[k] as Float32Array, a = weights[w] as number;
            for (let j = 0; j < out.length; j++) out[j] = (out[j] as number) + a * (g[j] as number);
          });
          return out;
        });
        workers.forEach((w) => w.postMessage({ type: "mean", grads: mean } satisfies ToWorker));
        const vars = groups[m0.group as Group] as tf.Variable[];
        const opt = (net.optimizers as Record<string, tf.Optimizer>)[m0.group] as tf.Optimizer;
        applyGrads(opt, vars, mean.map((g, k) => tf.tensor(g, (vars[k] as tf.Variable).shape)));
      }
    }
    return losses;
  };

  return {
    runner,
    close: async () => { await Promise.all(workers.map((w) => w.terminate())); },
  };
}

function meanLosses(all: StepLosses[]): StepLosses {
  const mean = <T extends object>(objs: T[]): T => {
    const out: Record<string, number> = {};
    for (const o of objs) for (const [k, v] of Object.entries(o)) out[k] = (out[k] ?? 0) + (v as number) / objs.length;
    return out as T;
  };
  const first = all[0] as StepLosses;
  return { eg: mean(all.map((l) => l.eg)), disc: first.disc ? mean(all.map((l) => l.disc as NonNullable<StepLosses["disc"]>)) : null };
}
