// One data-parallel training worker (see parallel.ts): its own WASM backend, its own copy of the nets.
import { parentPort, workerData } from "node:worker_threads";
import * as tf from "@tensorflow/tfjs";
import { buildAlphaGan, buildAutoencoder, trainStepPhases, type Trainable } from "../alpha-gan";
import { useTrainingBackend } from "./native-conv";
import { loadCheckpoint } from "./files";
import { weightChecksum, type FromWorker, type ToWorker, type WorkerInit } from "./parallel-protocol";

const port = parentPort;
if (!port) throw new Error("parallel-worker runs as a worker thread");
const init = workerData as WorkerInit;

const queue: ToWorker[] = [];
let waiting: ((m: ToWorker) => void) | null = null;
port.on("message", (m: ToWorker) => {
  if (waiting) { const w = waiting; waiting = null; w(m); } else queue.push(m);
});
const next = (): Promise<ToWorker> => {
  const m = queue.shift();
  return m ? Promise.resolve(m) : new Promise((resolve) => { waiting = resolve; });
};
const send = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

await useTrainingBackend({ native: init.nativeKernels });
let nets: Record<string, Trainable>;
const loaded = init.checkpointDir ? await loadCheckpoint(init.checkpointDir) : null;
if (loaded) nets = loaded.nets;
else nets = Object.fromEntries(Object.entries(init.nets).map(([n, { kind, cfg }]) => [n, kind === "ae" ? buildAutoencoder(cfg) : buildAlphaGan(cfg)]));
send({ type: "ready", checksums: Object.fromEntries(Object.entries(nets).map(([n, net]) => [n, weightChecksum(net)])) });

for (;;) {
  const m = await next();
  if (m.type !== "step") throw new Error(`worker expected a step, got ${m.type}`);
  const first = Object.values(nets)[0] as Trainable;
  const s = first.cfg.imageSize;
  const batches = m.pixels.map((p) => tf.tensor4d(p, [m.rows, s, s, 1]));
  for (const net of Object.values(nets)) {
    const phases = trainStepPhases(net, batches, m.step, m.slice);
    let r = phases.next();
    while (!r.done) {
      const grads = r.value.grads.map((g) => g.dataSync() as Float32Array);
      tf.dispose(r.value.grads);
      send({ type: "grads", group: r.value.group, grads }, grads.map((g) => g.buffer as ArrayBuffer));
      const mean = await next();
      if (mean.type !== "mean") throw new Error(`worker expected mean gradients, got ${mean.type}`);
      const vars = r.value.grads.map((g) => g.shape);
      r = phases.next(mean.grads.map((g, k) => tf.tensor(g, vars[k])));
    }
    send({ type: "done", losses: r.value });
  }
  tf.dispose(batches);
}
