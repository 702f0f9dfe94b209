// Node-only: a worker_threads Worker running a TypeScript entry. Workers do not inherit tsx's
// loader, so a small bootstrap registers it before importing the entry.
import { Worker, type WorkerOptions } from "node:worker_threads";

export function startTsWorker(entry: URL, options: Omit<WorkerOptions, "eval"> = {}): Worker {
  const bootstrap = `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}
