// Stroke ingest: strokes stored per second through the real GameStore.saveStrokes path — many
// concurrent callers, one 30-point stroke per call, as the game server makes them — against
// Prisma createMany in batches of 1,000 as the baseline, in the same run, on the same database.
// Both runs are checked for lost or doubled rows.
//
//   npx tsx bench/ingest.ts [strokes=40000] [callers=200] [baselineStrokes=10000]
//
// Uses a throwaway database on the local PostgreSQL (tests/helpers/test-database.ts).
import { readFile } from "node:fs/promises";
import { availableParallelism, loadavg } from "node:os";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import type { Point } from "../protocol";
import { PrismaClient } from "../server/persistence/generated/client";
import { createPostgresStore } from "../server/persistence/postgres-store";
import type { StrokeRecord } from "../server/persistence/types";
import { createTestDatabase } from "../tests/helpers/test-database";

const [strokeCount = 40_000, callers = 200, baselineCount = 10_000] = process.argv.slice(2).map(Number);
const POINTS = 30;
const DRAWINGS = 240; // 20 rooms of 12 players
const RESEND_EVERY = 20; // 5% of strokes are sent twice, as after a reconnect

let seed = 42;
function random(): number {
  // mulberry32: seeded, so every run stores the same strokes
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

function makeStrokes(count: number, prefix: string): StrokeRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    drawingId: `drawing-${i % DRAWINGS}`,
    clientId: `${prefix}-${i}`,
    points: Array.from({ length: POINTS }, (_, p): Point => [Math.floor(random() * 256), Math.floor(random() * 256), i * 100 + p * 16]),
  }));
}

async function seedDrawings(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`
    INSERT INTO rooms (id, code, rounds, round_seconds, created_at) VALUES ('room', 'BENCH2', 6, 20, now());
    INSERT INTO players (id, room_id, nickname, joined_at)
      SELECT 'player-' || i, 'room', 'p' || i, now() FROM generate_series(0, ${DRAWINGS - 1}) i;
    INSERT INTO rounds (id, room_id, game_number, index, word, started_at) VALUES ('round', 'room', 1, 0, 'cat', now());
    INSERT INTO drawings (id, round_id, player_id)
      SELECT 'drawing-' || i, 'round', 'player-' || i FROM generate_series(0, ${DRAWINGS - 1}) i;`);
  await client.end();
}

async function countRows(url: string, prefix: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM strokes WHERE client_id LIKE $1`, [`${prefix}-%`]);
  await client.end();
  return rows[0]!.n;
}

type Run = { seconds: number; nodeCpuMs: number; postgresCpuMs: number | null };

/**
 * CPU used so far by the Postgres backends serving `database`, in ms, from /proc (null where the
 * server is not on this machine). The machine is shared, so CPU per stroke says more than wall time.
 */
async function postgresCpuMs(url: string, database: string): Promise<number | null> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ pid: number }>(
    "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
    [database],
  );
  await client.end();
  try {
    const ticks = await Promise.all(
      rows.map(async ({ pid }) => {
        const fields = (await readFile(`/proc/${pid}/stat`, "utf8")).split(") ")[1]!.split(" ");
        return Number(fields[11]) + Number(fields[12]); // utime + stime, in 1/100 s
      }),
    );
    return ticks.reduce((a, b) => a + b, 0) * 10;
  } catch {
    return null;
  }
}

async function measure(url: string, database: string, work: () => Promise<void>): Promise<Run> {
  const cpu = process.cpuUsage();
  const pgBefore = await postgresCpuMs(url, database);
  const started = performance.now();
  await work();
  const seconds = (performance.now() - started) / 1000;
  const pgAfter = await postgresCpuMs(url, database);
  const used = process.cpuUsage(cpu);
  return {
    seconds,
    nodeCpuMs: (used.user + used.system) / 1000,
    postgresCpuMs: pgBefore === null || pgAfter === null ? null : pgAfter - pgBefore,
  };
}

/** `callers` concurrent loops, each saving one stroke per call and awaiting it before the next. */
async function viaSaveStrokes(url: string, database: string, strokes: StrokeRecord[]): Promise<Run> {
  const store = createPostgresStore(url);
  const sends = strokes.flatMap((s, i) => (i % RESEND_EVERY === 0 ? [s, s] : [s]));
  let next = 0;
  try {
    return await measure(url, database, async () => {
      await Promise.all(
        Array.from({ length: callers }, async () => {
          while (next < sends.length) await store.saveStrokes([sends[next++]!]);
        }),
      );
    });
  } finally {
    await store.close();
  }
}

/** The baseline: Prisma's own bulk insert, with the caller doing the batching. */
async function viaCreateMany(url: string, database: string, strokes: StrokeRecord[]): Promise<Run> {
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
  await prisma.$connect();
  try {
    return await measure(url, database, async () => {
      for (let i = 0; i < strokes.length; i += 1000) {
        await prisma.stroke.createMany({
          data: strokes.slice(i, i + 1000).map((s) => ({
            drawingId: s.drawingId,
            clientId: s.clientId,
            xs: s.points.map((p) => p[0]),
            ys: s.points.map((p) => p[1]),
            ts: s.points.map((p) => p[2]),
          })),
          skipDuplicates: true,
        });
      }
    });
  } finally {
    await prisma.$disconnect();
  }
}

function describeRun(name: string, count: number, stored: number, run: Run): string {
  const cpu = run.postgresCpuMs === null ? `node ${fmt(run.nodeCpuMs * 1000 / count)}` : `node ${fmt(run.nodeCpuMs * 1000 / count)} + postgres ${fmt(run.postgresCpuMs * 1000 / count)}`;
  return `${name}: ${count} strokes in ${run.seconds.toFixed(2)} s = ${Math.round(count / run.seconds)} strokes/s; ` +
    `CPU per stroke ${cpu} us; rows stored ${stored}/${count}`;
}

function fmt(n: number): string {
  return n.toFixed(1);
}

const db = await createTestDatabase();
try {
  await seedDrawings(db.url);
  const ours = makeStrokes(strokeCount, "batched");
  const baseline = makeStrokes(baselineCount, "createMany");

  const ourRun = await viaSaveStrokes(db.url, db.name, ours);
  const baselineRun = await viaCreateMany(db.url, db.name, baseline);
  const [oursRows, baselineRows] = [await countRows(db.url, "batched"), await countRows(db.url, "createMany")];

  console.log(`${POINTS}-point strokes into PostgreSQL ${await serverVersion(db.url)}, load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`);
  console.log(describeRun(`saveStrokes, ${callers} concurrent callers, one stroke per call, ${Math.ceil(strokeCount / RESEND_EVERY)} re-sent`, strokeCount, oursRows, ourRun));
  console.log(describeRun("baseline Prisma createMany, batches of 1,000", baselineCount, baselineRows, baselineRun));
  const rate = (count: number, run: Run) => count / run.seconds;
  console.log(`ratio: ${(rate(strokeCount, ourRun) / rate(baselineCount, baselineRun)).toFixed(1)}x strokes/s`);
  if (ourRun.postgresCpuMs !== null) {
    // Wall time depends on what else runs on this shared machine; CPU per stroke does not (much).
    const cpuPerStrokeUs = ((ourRun.nodeCpuMs + ourRun.postgresCpuMs) * 1000) / strokeCount;
    console.log(
      `saveStrokes capacity if all ${availableParallelism()} cores were free: ~${Math.round((availableParallelism() * 1e6) / cpuPerStrokeUs)} strokes/s ` +
        `(${cpuPerStrokeUs.toFixed(1)} us CPU per stroke; Postgres background writers not counted)`,
    );
  }
  if (oursRows !== strokeCount || baselineRows !== baselineCount) {
    console.error("row counts do not match: strokes were lost or doubled");
    process.exitCode = 1;
  }
} finally {
  await db.drop();
}

async function serverVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ server_version: string }>("SHOW server_version");
  await client.end();
  return rows[0]!.server_version;
}
