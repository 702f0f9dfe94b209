// The server's copy of the AI guesser, used to check players' recognition claims: the shipped
// classifier in one worker thread, started on first use, with a bounded queue so a flood of
// claims is refused rather than piled up.
import type { Worker } from "node:worker_threads";
import type { Guess } from "../../model/guess";
import { SHIPPED_CLASSIFIER_DIR } from "../../model/node/weights-dirs";
import { startTsWorker } from "../../model/node/ts-worker";
import type { Drawing } from "../../model/rasterize";
import { log } from "../log";

export type ToRecognizer = { id: number; drawing: Drawing; k: number };
export type FromRecognizer =
  | { type: "ready"; categories: number }
  | { type: "failed"; message: string }
  | { type: "guesses"; id: number; guesses: Guess[] }
  | { type: "error"; id: number; message: string };

export interface Recognizer {
  /** The classifier's best guesses for a doodle, best first. Rejects with RecognizerBusy when full. */
  guess(drawing: Drawing, k?: number): Promise<Guess[]>;
  /** Starts the worker now instead of at the first guess. */
  warm(): Promise<void>;
  /** Guesses asked for and not answered yet (for /metrics). */
  queued?(): number;
  close(): Promise<void>;
}

export class RecognizerBusy extends Error {}

export type RecognizerOptions = { dir?: string; maxQueued?: number };

export function workerRecognizer(options: RecognizerOptions = {}): Recognizer {
  const dir = options.dir ?? SHIPPED_CLASSIFIER_DIR;
  const maxQueued = options.maxQueued ?? 64;
  const waiting = new Map<number, { resolve: (g: Guess[]) => void; reject: (e: Error) => void }>();
  let seq = 0;
  let started: Promise<Worker> | null = null;

  const failAll = (err: Error) => {
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  };

  function start(): Promise<Worker> {
    started ??= new Promise<Worker>((resolve, reject) => {
      const worker = startTsWorker(new URL("./recognizer-worker.ts", import.meta.url), { workerData: { dir } });
      worker.on("message", (m: FromRecognizer) => {
        if (m.type === "ready") return resolve(worker);
        if (m.type === "failed") return reject(new Error(`classifier did not load: ${m.message}`));
        const w = waiting.get(m.id);
        waiting.delete(m.id);
        if (m.type === "guesses") w?.resolve(m.guesses);
        else w?.reject(new Error(m.message));
      });
      worker.on("error", (err) => reject(err));
      worker.on("exit", (code) => {
        // A dead worker is replaced at the next guess; what it held fails now.
        started = null;
        failAll(new Error(`classifier worker exited (${code})`));
        reject(new Error(`classifier worker exited (${code}) before it was ready`));
      });
      // The worker must not keep a finished server process alive.
      worker.unref();
    });
    started.catch((err) => log.warn("the AI guesser could not start", err));
    return started;
  }

  return {
    async guess(drawing, k = 3) {
      if (waiting.size >= maxQueued) throw new RecognizerBusy("The AI is busy; try again in a moment.");
      const worker = await start();
      const id = ++seq;
      return new Promise<Guess[]>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, drawing, k } satisfies ToRecognizer);
      });
    },
    async warm() {
      await start();
    },
    queued: () => waiting.size,
    async close() {
      const worker = started && (await started.catch(() => null));
      started = null;
      failAll(new Error("recognizer closed"));
      await worker?.terminate();
    },
  };
}
