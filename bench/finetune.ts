// The fine-tune job's cost: its wall time, and what it does to the game while it runs. One run:
//   1. the game's realtime fan-out (bench/realtime.ts, its own game server and database) with no
//      fine-tune worker;
//   2. the same load while the worker trains a fine-tune of --steps steps on players' doodles;
//   3. the same load again after the job has finished, the worker idle (a change in the machine's other load
//      between 1 and 2 shows as a difference between 1 and 3).
// The worker is the one `npm start` spawns (server/worker/spawn.ts: its own process, nice 10), with
// the worker's default settings; the job is queued as the admin page queues it.
//
//   nice -n 5 npx tsx bench/finetune.ts [--steps 500] [--doodles 200] [--players 100] [--seconds 10]
// --doodles players' doodles seeded (cat, dog, house, tree, car in equal parts); --players and
// --seconds go to bench/realtime.ts (measured seconds per server, in 2 slices).
import { spawn } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { createModelStore, type JobRow, type ModelStore } from "../server/finetune/model-store";
import { DEFAULT_FINETUNE } from "../server/finetune/params";
import { startBoss, triggerFinetune } from "../server/finetune/queue";
import { shippedVersion } from "../server/http/model-files";
import { spawnFinetuneWorker } from "../server/worker/spawn";
import { waitFor } from "../tests/helpers/finetune-worker";
import { seedDoodles } from "../tests/helpers/seed-doodles";
import { createTestDatabase } from "../tests/helpers/test-database";

const CATEGORIES = ["cat", "dog", "house", "tree", "car"];
const OPEN = ["queued", "running"];

const { values } = parseArgs({
  options: {
    steps: { type: "string", default: "500" },
    doodles: { type: "string", default: "200" },
    players: { type: "string", default: "100" },
    seconds: { type: "string", default: "10" },
  },
});
const steps = Number(values.steps), doodles = Number(values.doodles);
for (const [name, n] of Object.entries({ steps, doodles, players: Number(values.players), seconds: Number(values.seconds) })) {
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive whole number`);
}
const realtimeArgs = ["--players", values.players!, "--room-size", "10", "--seconds", values.seconds!, "--slices", "2", "--warmup", "2"];

type Fanout = { p50: number; p95: number; p99: number; max: number; sentPerSec: string };
type LoadRun = { label: string; game: Fanout; bare: Fanout; load: string };

/** Runs bench/realtime.ts once and reads its bare and game fan-out lines. */
async function realtime(label: string): Promise<LoadRun> {
  const load = loadavg()[0]!.toFixed(2);
  const child = spawn(process.execPath, ["--import", "tsx", "bench/realtime.ts", ...realtimeArgs], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (d: Buffer) => { out += d.toString(); });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`bench/realtime.ts exited with ${code}:\n${out}`);
  const read = (target: string): Fanout => {
    const m = new RegExp(`^${target}: fan-out p50 (\\S+) p95 (\\S+) p99 (\\S+) max (\\S+) ms .*sent (\\d+/s)`, "m").exec(out);
    if (!m) throw new Error(`no ${target} line in bench/realtime.ts's output:\n${out}`);
    return { p50: Number(m[1]), p95: Number(m[2]), p99: Number(m[3]), max: Number(m[4]), sentPerSec: m[5]! };
  };
  const run = { label, game: read("game"), bare: read("bare"), load: `${load} → ${loadavg()[0]!.toFixed(2)}` };
  console.log(`${label}: game p99 ${run.game.p99} ms, bare p99 ${run.bare.p99} ms (load ${run.load})`);
  return run;
}

const jobOf = async (store: ModelStore, id: string): Promise<JobRow> => (await store.job(id))!;

const db = await createTestDatabase();
const store = createModelStore(db.url);
const boss = await startBoss(db.url, "sender");
let worker: { stop(): Promise<void> } | null = null;
try {
  const seeded = await seedDoodles(db.url, Object.fromEntries(CATEGORIES.map((c) => [c, Math.ceil(doodles / CATEGORIES.length)])));
  const idle = await realtime("no worker, before");
  worker = spawnFinetuneWorker(db.url);

  const queued = await triggerFinetune(store, boss, { steps, learningRate: DEFAULT_FINETUNE.learningRate, categories: [] }, { version: (await shippedVersion()).version, dataUntil: null });
  if (!queued.ok) throw new Error(queued.error);
  const jobId = queued.jobId;
  await waitFor("the job to train", async () => ((await jobOf(store, jobId)).step >= 1 ? true : undefined), 300_000, 500);
  const during = await realtime("fine-tune training");
  const stillTraining = (await jobOf(store, jobId)).phase === "training";

  const job = await waitFor("the job to finish", async () => { const j = await jobOf(store, jobId); return OPEN.includes(j.status) ? undefined : j; }, 6 * 3600_000, 2000);
  if (job.status !== "succeeded" && job.status !== "rejected") throw new Error(`job ${job.status}: ${job.error}`);
  const after = await realtime("worker idle, after");

  // Phases from the job's own timestamps: loading (queue to first step), training, evaluating and saving.
  const progress = await store.progress(jobId);
  const first = progress[0]!, last = progress.at(-1)!;
  const s = (a: Date, b: Date) => (b.getTime() - a.getTime()) / 1000;
  const wall = s(job.createdAt, job.finishedAt!);
  const loading = s(job.createdAt, first.at);
  const training = s(first.at, last.at);
  const stepsPerSec = (last.step - first.step) / training;
  const finishing = s(last.at, job.finishedAt!);
  const at500 = loading + (500 - 1) / stepsPerSec + finishing;
  const version = job.resultVersion ? await store.version(job.resultVersion) : null;

  const f = (n: number) => n.toFixed(2);
  const row = (r: LoadRun) => `| ${r.label} | ${f(r.game.p50)} | ${f(r.game.p99)} | ${f(r.game.max)} | ${f(r.bare.p99)} | ${r.game.sentPerSec} | ${r.load} |`;
  console.log([
    "",
    `### Fine-tune job: ${steps} steps on ${seeded} players' doodles, with the game under load`,
    "",
    `Command: \`nice -n 5 npx tsx bench/finetune.ts ${process.argv.slice(2).join(" ")}\`; load: \`bench/realtime.ts ${realtimeArgs.join(" ")}\``,
    `Machine: ${cpus().length} CPUs, Node ${process.version}, shared with other work; load average (1 min) ${loadavg().map((x) => x.toFixed(2)).join(" / ")} at the end`,
    "",
    `| phase of the job | wall time s |`,
    "|---|---|",
    `| queued → first step (worker process starts, loads data and weights) | ${f(loading)} |`,
    `| training, steps 1 → ${last.step} | ${f(training)} (${stepsPerSec.toFixed(3)} steps/s, ${f(1 / stepsPerSec)} s/step) |`,
    `| last step → version stored (evaluation of both models, report images, saving) | ${f(finishing)} |`,
    `| **total, ${steps} steps** | **${f(wall)}** (${f(wall / 60)} min) |`,
    ...(steps === 500 ? [] : [`| 500 steps, **extrapolated** from this run's steps/s (not measured) | ${f(at500)} (${f(at500 / 60)} min) |`]),
    "",
    `Data: ${JSON.stringify(job.dataCounts)}; result ${job.status}${version ? ` (${version.version}: held-out L1 ${version.figures.parent.heldOut.l1.toFixed(4)} → ${version.figures.candidate.heldOut.l1.toFixed(4)})` : ""}${job.error ? `: ${job.error}` : ""}`,
    "",
    "| game fan-out while | p50 ms | p99 ms | max ms | bare socket.io p99 ms (same slices' floor) | strokes/s sent | load average 1 min (start → end) |",
    "|---|---|---|---|---|---|---|",
    row(idle), row(during), row(after),
    "",
    stillTraining ? "The job was training for the whole of the middle run." : "WARNING: the job left its training phase before the middle run ended; use more --steps.",
  ].join("\n"));
} finally {
  await worker?.stop();
  await boss.stop({ graceful: false, wait: true });
  await store.close();
  await db.drop();
}
