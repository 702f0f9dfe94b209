// Model versions, their activations and fine-tune jobs in PostgreSQL: the one place the web
// servers (serving, publishing, the admin page) and the workers (training) share. Plain pg, as
// the rest of server/persistence/ does for hot or bulk SQL.
import pg from "pg";
import type { Drawing } from "../../model/rasterize";
import type { Figures } from "./gate";
import type { FinetuneParams } from "./params";

/** NOTIFY channel a publish or roll-back is announced on; payload: the version name. */
export const MODEL_ACTIVE_CHANNEL = "model_active";

export type JobStatus = "queued" | "running" | "succeeded" | "rejected" | "failed" | "cancelled";
export const OPEN_JOB_STATUSES: readonly JobStatus[] = ["queued", "running"];

export type VersionRow = {
  version: string;
  parent: string;
  status: "ready" | "rejected";
  jobId: string | null;
  createdAt: Date;
  metadata: VersionMetadata;
  figures: VersionFigures;
};

export type VersionMetadata = {
  /** Doodles drawn up to this time were available to the job; later ones are "new" for the next. */
  dataUntil: string;
  dataSince: string;
  steps: number;
  seed: number;
  learningRate: number;
  categories: string[];
  counts: DataCounts;
};

export type DataCounts = { newTrain: number; newHeldOut: number; replay: number; heldOut: number };
export type VersionFigures = { parent: Figures; candidate: Figures; publishable: boolean; reasons: string[]; classifier: string | null };

export type JobRow = {
  id: string;
  status: JobStatus;
  params: FinetuneParams & { dataSince: string; dataUntil: string };
  parentVersion: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  heartbeatAt: Date | null;
  attempt: number;
  cancelRequested: boolean;
  step: number;
  totalSteps: number;
  phase: string;
  error: string | null;
  resultVersion: string | null;
  dataCounts: DataCounts | null;
  sampleStep: number | null;
};

export type ProgressRow = { step: number; at: Date; losses: Record<string, number>; stepsPerSec: number };
export type Doodle = { drawingId: string; category: string; drawing: Drawing };

const JOB_COLUMNS = `id, status, params, parent_version AS "parentVersion", created_at AS "createdAt", started_at AS "startedAt",
  finished_at AS "finishedAt", heartbeat_at AS "heartbeatAt", attempt, cancel_requested AS "cancelRequested", step,
  total_steps AS "totalSteps", phase, error, result_version AS "resultVersion", data_counts AS "dataCounts", sample_step AS "sampleStep"`;

// Any fixed key: the trigger's critical section (is a job open? then insert one) is one at a time.
const TRIGGER_LOCK = 5_250_512;

export type ModelStore = ReturnType<typeof createModelStore>;

export function createModelStore(url: string, options: { poolSize?: number } = {}) {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 4, connectionTimeoutMillis: 10_000 });
  pool.on("error", () => {});
  const one = async <T>(sql: string, values: unknown[] = []): Promise<T | null> => ((await pool.query(sql, values)).rows[0] as T | undefined) ?? null;
  const all = async <T>(sql: string, values: unknown[] = []): Promise<T[]> => (await pool.query(sql, values)).rows as T[];
  /** Runs `work` in one transaction; it commits unless `work` throws or returns rollback: true. */
  const transaction = async <T>(work: (client: pg.PoolClient) => Promise<{ rollback?: boolean; value: T }>): Promise<T> => {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      const { rollback, value } = await work(client);
      await client.query(rollback ? "ROLLBACK" : "COMMIT");
      return value;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  };

  return {
    pool,

    /** How many jobs are in each status, for /metrics. */
    jobCounts: () => all<{ status: JobStatus; count: number }>("SELECT status, count(*)::int AS count FROM finetune_jobs GROUP BY status"),

    /** The latest publish or roll-back; null: nothing was ever published (the shipped weights are active). */
    activeVersion: () => one<{ version: string; activatedAt: Date }>(
      `SELECT version, activated_at AS "activatedAt" FROM model_activations ORDER BY seq DESC LIMIT 1`),

    activations: (limit = 50) => all<{ version: string; activatedAt: Date }>(
      `SELECT version, activated_at AS "activatedAt" FROM model_activations ORDER BY seq DESC LIMIT $1`, [limit]),

    /** Records the activation and tells every listening server, in one transaction. */
    async activate(version: string): Promise<void> {
      await transaction(async (client) => {
        await client.query("INSERT INTO model_activations (version) VALUES ($1)", [version]);
        await client.query("SELECT pg_notify($1, $2)", [MODEL_ACTIVE_CHANNEL, version]);
        return { value: undefined };
      });
    },

    versions: () => all<VersionRow>(
      `SELECT version, parent, status, job_id AS "jobId", created_at AS "createdAt", metadata, figures FROM model_versions ORDER BY created_at DESC`),

    version: (version: string) => one<VersionRow>(
      `SELECT version, parent, status, job_id AS "jobId", created_at AS "createdAt", metadata, figures FROM model_versions WHERE version = $1`, [version]),

    async versionFile(version: string, path: string): Promise<Buffer | null> {
      return (await one<{ body: Buffer }>("SELECT body FROM model_files WHERE version = $1 AND path = $2", [version, path]))?.body ?? null;
    },

    async versionFiles(version: string): Promise<Map<string, Buffer>> {
      const rows = await all<{ path: string; body: Buffer }>("SELECT path, body FROM model_files WHERE version = $1", [version]);
      return new Map(rows.map((r) => [r.path, r.body]));
    },

    /** Players' doodles (drawings with at least one stroke left) whose round started in (since, until]. */
    async doodleCounts(since: Date, until: Date | null = null): Promise<Record<string, number>> {
      const rows = await all<{ category: string; n: string }>(
        `SELECT r.word AS category, count(DISTINCT d.id) AS n FROM rounds r JOIN drawings d ON d.round_id = r.id
         WHERE r.started_at > $1 AND ($2::timestamptz IS NULL OR r.started_at <= $2)
           AND EXISTS (SELECT 1 FROM strokes s WHERE s.drawing_id = d.id AND s.removed_at IS NULL)
         GROUP BY r.word ORDER BY r.word`, [since, until]);
      return Object.fromEntries(rows.map((r) => [r.category, Number(r.n)]));
    },

    async doodles(since: Date, until: Date, categories: readonly string[]): Promise<Doodle[]> {
      const rows = await all<{ drawingId: string; category: string; xs: number[][]; ys: number[][] }>(
        `SELECT d.id AS "drawingId", r.word AS category,
                array_agg(to_jsonb(s.xs) ORDER BY s.ts[1], s.seq) AS xs, array_agg(to_jsonb(s.ys) ORDER BY s.ts[1], s.seq) AS ys
         FROM rounds r JOIN drawings d ON d.round_id = r.id JOIN strokes s ON s.drawing_id = d.id AND s.removed_at IS NULL
         WHERE r.started_at > $1 AND r.started_at <= $2 AND (cardinality($3::text[]) = 0 OR r.word = ANY($3))
         GROUP BY d.id, r.word ORDER BY d.id`, [since, until, categories]);
      return rows.map((r) => ({ drawingId: r.drawingId, category: r.category, drawing: r.xs.map((xs, i) => [xs, r.ys[i] as number[]]) }));
    },

    /**
     * Creates a queued job unless one is open, under an advisory lock so two triggers at once make
     * one job. `enqueue` (pg-boss send with the job's id) runs after the commit; a failed send fails the job.
     */
    async createJob(job: { id: string; params: JobRow["params"]; parentVersion: string }, enqueue: () => Promise<void>): Promise<{ ok: true } | { ok: false; openJobId: string }> {
      const openJobId = await transaction(async (client) => {
        await client.query("SELECT pg_advisory_xact_lock($1)", [TRIGGER_LOCK]);
        const open = await client.query<{ id: string }>("SELECT id FROM finetune_jobs WHERE status = ANY($1) LIMIT 1", [OPEN_JOB_STATUSES]);
        if (open.rows[0]) return { rollback: true, value: open.rows[0].id };
        await client.query(
          "INSERT INTO finetune_jobs (id, status, params, parent_version, total_steps) VALUES ($1, 'queued', $2, $3, $4)",
          [job.id, job.params, job.parentVersion, job.params.steps]);
        return { value: null };
      });
      if (openJobId !== null) return { ok: false, openJobId };
      // After the commit, so a worker that takes the job at once finds its row.
      try {
        await enqueue();
      } catch (error) {
        await pool.query("UPDATE finetune_jobs SET status = 'failed', error = $2, finished_at = now() WHERE id = $1", [job.id, `Could not queue: ${(error as Error).message}`]);
        throw error;
      }
      return { ok: true };
    },

    job: (id: string) => one<JobRow>(`SELECT ${JOB_COLUMNS} FROM finetune_jobs WHERE id = $1`, [id]),
    jobs: (limit = 20) => all<JobRow>(`SELECT ${JOB_COLUMNS} FROM finetune_jobs ORDER BY created_at DESC LIMIT $1`, [limit]),
    progress: (id: string, afterStep = 0) => all<ProgressRow>(
      `SELECT step, at, losses, steps_per_sec AS "stepsPerSec" FROM finetune_progress WHERE job_id = $1 AND step > $2 ORDER BY step`, [id, afterStep]),
    async samplePng(id: string): Promise<Buffer | null> {
      return (await one<{ png: Buffer | null }>("SELECT sample_png AS png FROM finetune_jobs WHERE id = $1", [id]))?.png ?? null;
    },

    /** Asks the worker to stop; a job still queued is cancelled at once. */
    async requestCancel(id: string): Promise<JobRow | null> {
      await pool.query(
        `UPDATE finetune_jobs SET cancel_requested = true,
           status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END,
           finished_at = CASE WHEN status = 'queued' THEN now() ELSE finished_at END
         WHERE id = $1 AND status = ANY($2)`, [id, OPEN_JOB_STATUSES]);
      return one<JobRow>(`SELECT ${JOB_COLUMNS} FROM finetune_jobs WHERE id = $1`, [id]);
    },

    // ---- worker side: every write after claim() names the attempt it holds, so a worker that was
    // presumed dead (and replaced) can no longer change the job.

    /** Takes the job for a new attempt; null if it is no longer open (cancelled, finished). */
    claim: (id: string) => one<JobRow>(
      `UPDATE finetune_jobs SET status = 'running', attempt = attempt + 1, heartbeat_at = now(), started_at = coalesce(started_at, now()), phase = 'loading'
       WHERE id = $1 AND status = ANY($2) AND NOT cancel_requested RETURNING ${JOB_COLUMNS}`, [id, OPEN_JOB_STATUSES]),

    /** Heartbeat, step and phase; returns whether the attempt still holds the job and whether a cancel was asked. */
    async beat(id: string, attempt: number, fields: { step?: number; phase?: string } = {}): Promise<{ held: boolean; cancel: boolean }> {
      const row = await one<{ cancel: boolean }>(
        `UPDATE finetune_jobs SET heartbeat_at = now(), step = coalesce($3, step), phase = coalesce($4, phase)
         WHERE id = $1 AND attempt = $2 AND status = 'running' RETURNING cancel_requested AS cancel`,
        [id, attempt, fields.step ?? null, fields.phase ?? null]);
      return { held: row !== null, cancel: row?.cancel ?? false };
    },

    async recordProgress(id: string, attempt: number, p: { step: number; losses: Record<string, number>; stepsPerSec: number }): Promise<void> {
      await pool.query(
        `INSERT INTO finetune_progress (job_id, step, losses, steps_per_sec)
         SELECT $1, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM finetune_jobs WHERE id = $1 AND attempt = $2)
         ON CONFLICT (job_id, step) DO UPDATE SET losses = excluded.losses, steps_per_sec = excluded.steps_per_sec, at = now()`,
        [id, attempt, p.step, p.losses, p.stepsPerSec]);
    },

    async saveSample(id: string, attempt: number, step: number, png: Buffer): Promise<void> {
      await pool.query("UPDATE finetune_jobs SET sample_png = $3, sample_step = $4 WHERE id = $1 AND attempt = $2", [id, attempt, png, step]);
    },

    async setDataCounts(id: string, attempt: number, counts: DataCounts): Promise<void> {
      await pool.query("UPDATE finetune_jobs SET data_counts = $3 WHERE id = $1 AND attempt = $2", [id, attempt, counts]);
    },

    async saveCheckpoint(id: string, attempt: number, step: number, state: object, files: Buffer): Promise<void> {
      await pool.query(
        `INSERT INTO finetune_checkpoints (job_id, step, state, files) SELECT $1, $3, $4, $5
         WHERE EXISTS (SELECT 1 FROM finetune_jobs WHERE id = $1 AND attempt = $2)
         ON CONFLICT (job_id) DO UPDATE SET step = excluded.step, state = excluded.state, files = excluded.files, saved_at = now()`,
        [id, attempt, step, state, files]);
    },

    checkpoint: (id: string) => one<{ step: number; state: Record<string, unknown>; files: Buffer }>(
      "SELECT step, state, files FROM finetune_checkpoints WHERE job_id = $1", [id]),

    /** Ends the attempt: its status, and with a version, the version and its files, all in one transaction. */
    async finish(id: string, attempt: number, end: { status: JobStatus; error?: string; version?: Omit<VersionRow, "createdAt" | "jobId"> & { files: Map<string, Buffer> } }): Promise<boolean> {
      return transaction(async (client) => {
        const held = await client.query(
          `UPDATE finetune_jobs SET status = $3, error = $4, result_version = $5, finished_at = now(), phase = 'done', heartbeat_at = now()
           WHERE id = $1 AND attempt = $2 AND status = 'running'`,
          [id, attempt, end.status, end.error ?? null, end.version?.version ?? null]);
        if (held.rowCount !== 1) return { rollback: true, value: false };
        const v = end.version;
        if (v) {
          await client.query(
            "INSERT INTO model_versions (version, parent, status, job_id, metadata, figures) VALUES ($1, $2, $3, $4, $5, $6)",
            [v.version, v.parent, v.status, id, v.metadata, v.figures]);
          for (const [path, body] of v.files) await client.query("INSERT INTO model_files (version, path, body) VALUES ($1, $2, $3)", [v.version, path, body]);
        }
        await client.query("DELETE FROM finetune_checkpoints WHERE job_id = $1", [id]);
        return { value: true };
      });
    },

    /** Running jobs whose worker stopped beating for longer than staleMs. */
    staleJobs: (staleMs: number) => all<{ id: string; attempt: number }>(
      `SELECT id, attempt FROM finetune_jobs WHERE status = 'running' AND heartbeat_at < now() - make_interval(secs => $1::float8 / 1000)`, [staleMs]),

    /** Takes a stale attempt's hold away (it can no longer write) and puts the job back in the queue state. */
    async requeue(id: string, attempt: number): Promise<boolean> {
      const r = await pool.query(
        "UPDATE finetune_jobs SET status = 'queued', attempt = attempt + 1, phase = 'queued' WHERE id = $1 AND attempt = $2 AND status = 'running'",
        [id, attempt]);
      return r.rowCount === 1;
    },

    async fail(id: string, error: string): Promise<void> {
      await pool.query(
        "UPDATE finetune_jobs SET status = 'failed', error = $2, finished_at = now(), phase = 'done' WHERE id = $1 AND status = ANY($3)",
        [id, error, OPEN_JOB_STATUSES]);
    },

    close: () => pool.end(),
  };
}
