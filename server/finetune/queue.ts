// The fine-tune queue on pg-boss (its own schema "pgboss" in the game's database): web servers
// send, workers work. pg-boss 10 declares Node 20, our engine; 12 declares Node >= 22.
import { randomUUID } from "node:crypto";
import PgBoss from "pg-boss";
import type { ModelStore } from "./model-store";
import type { FinetuneParams } from "./params";

export const FINETUNE_QUEUE = "finetune";

/** A job that lost its worker (crash, kill, deploy) is handed out again this many times, resuming from its checkpoint. */
export const FINETUNE_RETRIES = 5;

export async function startBoss(url: string, role: "sender" | "worker"): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: url,
    max: role === "worker" ? 3 : 2,
    // Maintenance and cron live in workers; a web server only sends.
    supervise: role === "worker",
    schedule: false,
  });
  boss.on("error", () => {});
  await boss.start();
  await boss.createQueue(FINETUNE_QUEUE, {
    name: FINETUNE_QUEUE,
    // One active job at a time in the whole deployment, whatever the number of workers.
    policy: "singleton",
    retryLimit: FINETUNE_RETRIES,
    retryDelay: 0,
    // A fine-tune of thousands of steps takes hours; a lost worker is found by heartbeat instead.
    expireInHours: 12,
  });
  return boss;
}

export type TriggerResult =
  | { ok: true; jobId: string }
  | { ok: false; status: 400 | 409; error: string; openJobId?: string };

/**
 * Queues a fine-tune of the active version on the doodles drawn since it was trained. One open job
 * at a time: a second trigger (even at the same instant, from another server) gets 409.
 */
export async function triggerFinetune(
  store: ModelStore, boss: PgBoss, params: FinetuneParams, active: { version: string; dataUntil: string | null },
): Promise<TriggerResult> {
  const since = new Date(active.dataUntil ?? 0);
  const until = new Date();
  const counts = await store.doodleCounts(since, until);
  const wanted = params.categories.length ? params.categories : Object.keys(counts);
  const available = wanted.reduce((n, c) => n + (counts[c] ?? 0), 0);
  if (available < 2) {
    const where = params.categories.length ? ` in ${params.categories.join(", ")}` : "";
    return { ok: false, status: 400, error: `Not enough new doodles${where}: ${available} drawn since ${active.version}; a fine-tune needs at least 2 (one is held out for evaluation).` };
  }
  const id = randomUUID();
  const created = await store.createJob(
    { id, parentVersion: active.version, params: { ...params, dataSince: since.toISOString(), dataUntil: until.toISOString() } },
    async () => { await boss.send(FINETUNE_QUEUE, { jobId: id }, { id, singletonKey: FINETUNE_QUEUE }); },
  );
  if (!created.ok) return { ok: false, status: 409, error: "A fine-tune is already queued or running; wait for it or cancel it.", openJobId: created.openJobId };
  return { ok: true, jobId: id };
}
