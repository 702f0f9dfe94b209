// The database server itself stops for 10 s mid-round and starts again (a real PostgreSQL cluster
// of the test's own, so the machine's server is untouched): players are told in words, the room
// plays on live, and strokes re-sent from the players' outboxes are stored once when it is back.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmbeddedPostgres, type Database } from "../../server/persistence/database";
import { createPostgresStore } from "../../server/persistence/postgres-store";
import { startServer, type RunningServer } from "../../server/start";
import { GameClient, makeStroke, twoPlayerRound } from "../helpers/game-client";
import { freePort } from "../helpers/free-port";
import { seededRandom } from "../../common/random";
import type { Stroke } from "../../protocol";

const OUTAGE_MS = 10_000;

let dataDir: string;
let port: number;
let database: Database;
let server: RunningServer;
const clients: GameClient[] = [];

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "dd-pg-restart-"));
  port = await freePort();
  database = await startEmbeddedPostgres({ dataDir, port });
  server = await startServer({ port: 0, host: "127.0.0.1", pages: false, databaseUrl: database.url });
});

after(async () => {
  for (const c of clients) c.close();
  await server?.stop();
  await database?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

test("PostgreSQL stops for 10 s mid-round: a clear notice, live play goes on, re-sent strokes are stored once", async () => {
  const random = seededRandom(21);
  const { host, guest, round } = await twoPlayerRound(`http://127.0.0.1:${server.port}`, 60);
  clients.push(host, guest);

  const drawn: Stroke[] = [];
  const first = makeStroke("before-the-outage", 20, random);
  assert.equal((await host.request("stroke:add", { roundId: round.id, stroke: first })).ok, true);
  drawn.push(first);

  const stoppedAt = Date.now();
  await database.stop();

  // What the page's outbox does: keep every unacknowledged stroke and re-send it until it is stored.
  const outbox: Stroke[] = [];
  for (let i = 0; i < 3; i++) {
    const stroke = makeStroke(`during-the-outage-${i}`, 20, random, 1000 + i * 400);
    drawn.push(stroke);
    outbox.push(stroke);
    const refused = await host.request("stroke:add", { roundId: round.id, stroke }, 20_000);
    assert.equal(refused.ok, false);
    assert.equal(refused.error.code, "storage_unavailable");
    assert.match(refused.error.message, /couldn't be saved yet; it will be re-sent/);
  }
  // The notice reached the player as an error event, and the guest still saw the strokes live.
  assert.ok(host.errors.some((e) => e.code === "storage_unavailable"));
  await guest.waitFor("live strokes during the outage", () => outbox.every((s) => guest.received.some((r) => r.stroke.id === s.id)));

  // Ten seconds of outage in all, then the same cluster (same data directory and port) starts again.
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, OUTAGE_MS - (Date.now() - stoppedAt))));
  database = await startEmbeddedPostgres({ dataDir, port });

  for (const stroke of outbox) {
    const stored = await host.request("stroke:add", { roundId: round.id, stroke }, 20_000);
    assert.deepEqual(stored, { ok: true, strokeId: stroke.id, duplicate: false });
  }
  // A second re-send (an ack lost on the way) is not a second row.
  assert.deepEqual(await host.request("stroke:add", { roundId: round.id, stroke: outbox[0] }), {
    ok: true,
    strokeId: outbox[0]!.id,
    duplicate: true,
  });

  const store = createPostgresStore(database.url);
  try {
    const [drawing] = (await store.loadRoundDrawings(round.id)).filter((d) => d.nickname === "Host");
    assert.deepEqual(
      drawing!.strokes.map((s) => ({ id: s.clientId, points: s.points })),
      drawn.map((s) => ({ id: s.id, points: s.points })),
    );
  } finally {
    await store.close();
  }
});
