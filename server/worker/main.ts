// `npm run worker`: works fine-tune jobs from the pg-boss queue, in a process of its own so
// training never stalls a game server. Any number of workers and servers may share one database.
//   DATABASE_URL   the game's database (default: the embedded PostgreSQL `npm start` runs)
//   FINETUNE_STALE_MS  a running job whose worker has not beaten for this long is handed out again (90000)
//   FINETUNE_REPLAY, FINETUNE_EVAL_LIMIT, FINETUNE_CHECKPOINT_SEC, FINETUNE_SAMPLE_EVERY: see WorkerConfig
import { existsSync } from "node:fs";
import { useTrainingBackend } from "../../model/node/native-conv";
import type { Classifier } from "../../model/classifier";
import { loadClassifierDir, SHIPPED_CLASSIFIER_DIR } from "../../model/node/classifier-files";
import { resolveDatabase } from "../persistence/database";
import { applyMigrations } from "../persistence/migrate";
import { createModelStore } from "../finetune/model-store";
import { FINETUNE_QUEUE, startBoss } from "../finetune/queue";
import { log } from "../log";
import { watchParent } from "../launch/parent-watch";
import { AttemptAbandoned, DEFAULT_WORKER_CONFIG, runFinetuneAttempt, type WorkerConfig } from "./finetune-job";

const num = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const config: WorkerConfig = {
  replayMin: num("FINETUNE_REPLAY", DEFAULT_WORKER_CONFIG.replayMin),
  evalLimit: num("FINETUNE_EVAL_LIMIT", DEFAULT_WORKER_CONFIG.evalLimit),
  checkpointEverySec: num("FINETUNE_CHECKPOINT_SEC", DEFAULT_WORKER_CONFIG.checkpointEverySec),
  sampleEverySteps: num("FINETUNE_SAMPLE_EVERY", DEFAULT_WORKER_CONFIG.sampleEverySteps),
};
const staleMs = num("FINETUNE_STALE_MS", 90_000);

const database = await resolveDatabase();
await applyMigrations(database.url);
log.info(`worker: conv kernels ${await useTrainingBackend()}`);
let classifier: Classifier | null = null;
if (existsSync(SHIPPED_CLASSIFIER_DIR)) classifier = await loadClassifierDir();
else log.warn(`worker: no classifier in ${SHIPPED_CLASSIFIER_DIR}; evaluations report L1 only`);

const store = createModelStore(database.url);
const boss = await startBoss(database.url, "worker");
const mine = new Set<string>();
let stopping = false;

await boss.work<{ jobId: string }>(FINETUNE_QUEUE, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => {
  const jobId = job!.data.jobId;
  const claimed = await store.claim(jobId);
  if (!claimed) return; // cancelled while queued, or already finished
  mine.add(jobId);
  log.info(`worker: job ${jobId} attempt ${claimed.attempt}: ${claimed.params.steps} steps from ${claimed.parentVersion}`);
  try {
    await runFinetuneAttempt(store, claimed, { config, classifier, classifierName: classifier ? SHIPPED_CLASSIFIER_DIR : null, stopping: () => stopping, log: log.info });
  } catch (error) {
    if (error instanceof AttemptAbandoned) {
      // Back to the queue (pg-boss retries it), unless another attempt already took it.
      if (await store.requeue(jobId, claimed.attempt)) throw error;
      return;
    }
    log.error(`worker: job ${jobId} failed`, error);
    await store.fail(jobId, (error as Error).message);
  } finally {
    mine.delete(jobId);
  }
});

// Finds jobs whose worker died (no heartbeat) and hands them out again; they resume from their checkpoint.
const reaper = setInterval(() => {
  void (async () => {
    for (const stale of await store.staleJobs(staleMs)) {
      if (mine.has(stale.id) || !(await store.requeue(stale.id, stale.attempt))) continue;
      await boss.fail(FINETUNE_QUEUE, stale.id, { message: "worker lost (no heartbeat)" });
      const after = await boss.getJobById(FINETUNE_QUEUE, stale.id);
      if (after?.state === "failed") await store.fail(stale.id, `The worker was lost ${after.retryCount} times; giving up.`);
      else log.warn(`worker: job ${stale.id} lost its worker; handed out again`);
    }
  })().catch((error: unknown) => log.warn("worker: reaper", error));
}, Math.max(1000, staleMs / 3));

/** How long a stop may take before the worker exits regardless. */
const STOP_DEADLINE_MS = 20_000;

log.info(`worker ${process.pid} ready (queue ${FINETUNE_QUEUE})`);
function stop(): void {
  if (stopping) return;
  stopping = true;
  clearInterval(reaper);
  log.info("worker: stopping (a running job checkpoints and goes back to the queue)");
  // With the database gone too (the server was killed), pg-boss can wait on it for minutes: a job
  // checkpoints within a step (well under a second), so this is plenty, and no orphan lingers.
  setTimeout(() => {
    log.warn(`worker: not stopped after ${STOP_DEADLINE_MS / 1000} s; exiting anyway`);
    process.exit(1);
  }, STOP_DEADLINE_MS).unref();
  boss.stop({ graceful: true, wait: true, timeout: STOP_DEADLINE_MS })
    .then(() => store.close())
    .then(() => database.stop())
    .then(() => process.exit(0), (error: unknown) => { log.error("worker: unclean stop", error); process.exit(1); });
}
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, stop);
// The server that spawned this worker (or the shell that ran `npm run worker`) is gone: no orphans.
watchParent(stop);
