// Several game servers sharing rooms through one Redis: players on different servers play one
// game; a server killed with SIGKILL mid-round hands its room to the survivor; Redis going away
// leaves each server serving what it can and everything recovers.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import pg from "pg";
import { startServer, type RunningServer } from "../../server/start";
import { createTestDatabase } from "../helpers/test-database";
import { startTestRedis, type TestRedis } from "../helpers/redis-server";
import { GameClient, makeStroke } from "../helpers/game-client";
import { seededRandom } from "../../common/random";
import type { Stroke } from "../../protocol";

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let redis: TestRedis;
const servers: RunningServer[] = [];
const processes: ChildProcess[] = [];
const clients: GameClient[] = [];

before(async () => {
  db = await createTestDatabase();
  redis = await startTestRedis();
});

after(async () => {
  for (const c of clients) c.close();
  for (const p of processes) p.kill("SIGKILL");
  for (const s of servers) await s.stop();
  await redis?.stop();
  await db?.drop();
});

async function inProcessServer(): Promise<string> {
  const server = await startServer({ port: 0, host: "127.0.0.1", pages: false, databaseUrl: db.url, redisUrl: redis.url });
  servers.push(server);
  return `http://127.0.0.1:${server.port}`;
}

async function serverProcess(): Promise<{ url: string; process: ChildProcess }> {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/helpers/server-process.ts"], {
    env: { ...process.env, DATABASE_URL: db.url, REDIS_URL: redis.url, LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  processes.push(child);
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  while (!/listening on \d+/.test(output)) await once(child.stdout!, "data");
  return { url: `http://127.0.0.1:${/listening on (\d+)/.exec(output)![1]}`, process: child };
}

/** Retries `attempt` until it gives a value: for conditions no event announces (a reconnect inside a Redis client). */
async function eventually<T>(what: string, attempt: () => Promise<T | null>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await attempt();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function connect(url: string): Promise<GameClient> {
  const client = new GameClient(url);
  clients.push(client);
  await client.connected();
  return client;
}

/** Live (not undone) stroke ids per player of a round, from the database. */
async function storedStrokes(roundId: string): Promise<Map<string, string[]>> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ player_id: string; client_id: string }>(
      `SELECT d.player_id, s.client_id FROM strokes s JOIN drawings d ON d.id = s.drawing_id
       WHERE d.round_id = $1 AND s.removed_at IS NULL ORDER BY s.seq`,
      [roundId],
    );
    const byPlayer = new Map<string, string[]>();
    for (const r of rows) byPlayer.set(r.player_id, [...(byPlayer.get(r.player_id) ?? []), r.client_id]);
    return byPlayer;
  } finally {
    await client.end();
  }
}

test("players connected to different servers play one game; strokes reach everyone and are stored once", async () => {
  const random = seededRandom(7);
  const [urlA, urlB] = [await inProcessServer(), await inProcessServer()];
  const ann = await connect(urlA);
  const bob = await connect(urlB);
  const cy = await connect(urlB);
  const created = await ann.request("room:create", { nickname: "Ann" });
  assert.equal(created.ok, true);
  const joinedBob = await bob.request("room:join", { code: created.code, nickname: "Bob" });
  const joinedCy = await cy.request("room:join", { code: created.code, nickname: "Cy" });
  assert.equal(joinedBob.ok, true, JSON.stringify(joinedBob));
  assert.equal(joinedCy.ok, true, JSON.stringify(joinedCy));
  for (const c of [ann, bob, cy]) await c.waitFor("3 players everywhere", () => c.state?.players.length === 3);

  // Host-only actions are still checked, whichever server the request enters by.
  assert.equal((await bob.request("game:start", {})).error.code, "forbidden");
  assert.equal((await ann.request("room:settings", { rounds: 1, roundSeconds: 10 })).ok, true);
  assert.equal((await ann.request("game:start", {})).ok, true);
  const round = await bob.waitFor("round on server B", () => bob.state?.phase === "drawing" && bob.state.rounds[0]);

  // Live ink from server B (forwarded to the room's owner) reaches both servers' sockets, in order.
  bob.socket.emit("ink:live", ["bob-live-stroke", 0, [10, 10, 100, 20, 20, 116]]);
  bob.socket.emit("ink:live", ["bob-live-stroke", 2, [30, 30, 132]]);
  for (const c of [ann, cy]) {
    await c.waitFor("Bob's live ink", () => c.live.filter((e) => e[1] === "bob-live-stroke").length === 2);
    assert.deepEqual(c.live.filter((e) => e[1] === "bob-live-stroke").map((e) => [e[0], e[2]]), [[joinedBob.playerId, 0], [joinedBob.playerId, 2]]);
  }
  assert.equal(bob.live.length, 0, "not echoed to the drawer");

  const drawn = new Map<string, string[]>();
  const draw = async (client: GameClient, playerId: string, name: string, count: number) => {
    for (let i = 0; i < count; i++) {
      const stroke: Stroke = makeStroke(`${name}-stroke-${i}`, 20, random, i * 500);
      assert.deepEqual(await client.request("stroke:add", { roundId: round.id, stroke }), {
        ok: true,
        strokeId: stroke.id,
        duplicate: false,
      });
      drawn.set(playerId, [...(drawn.get(playerId) ?? []), stroke.id]);
    }
  };
  await Promise.all([draw(ann, created.playerId, "ann", 4), draw(bob, joinedBob.playerId, "bob", 3), draw(cy, joinedCy.playerId, "cy", 2)]);

  // Live strokes crossed servers both ways.
  await ann.waitFor("Bob's and Cy's strokes on server A", () => ann.received.length === 5);
  await bob.waitFor("Ann's and Cy's strokes on server B", () => bob.received.length === 6);
  await cy.waitFor("Ann's and Bob's strokes", () => cy.received.length === 7);

  // A re-send forwarded from server B is answered as a duplicate, not stored twice.
  const again = await bob.request("stroke:add", { roundId: round.id, stroke: makeStroke("bob-stroke-0", 20, seededRandom(1)) });
  assert.deepEqual(again, { ok: true, strokeId: "bob-stroke-0", duplicate: true });

  await cy.waitFor("results", () => cy.state?.phase === "results", 40_000);
  const scores = Object.fromEntries(cy.state!.players.map((p) => [p.nickname, p.score]));
  assert.ok(scores.Ann! > 0 && scores.Bob! > 0 && scores.Cy! > 0, JSON.stringify(scores));

  const stored = await storedStrokes(round.id);
  for (const playerId of [created.playerId, joinedBob.playerId, joinedCy.playerId]) {
    assert.deepEqual(stored.get(playerId), drawn.get(playerId));
  }
});

test("kill -9 the room's server mid-round: its players move to the other server, nothing acknowledged is lost, the round finishes", async () => {
  const random = seededRandom(11);
  const owner = await serverProcess();
  const survivor = await serverProcess();
  const ann = await connect(owner.url);
  const bob = await connect(survivor.url);
  const created = await ann.request("room:create", { nickname: "Ann" });
  const joined = await bob.request("room:join", { code: created.code, nickname: "Bob" });
  assert.equal(joined.ok, true, JSON.stringify(joined));
  assert.equal((await ann.request("room:settings", { rounds: 1, roundSeconds: 20 })).ok, true);
  assert.equal((await ann.request("game:start", {})).ok, true);
  const round = await bob.waitFor("round", () => bob.state?.phase === "drawing" && bob.state.rounds[0]);

  const acked = new Map<string, string[]>([[created.playerId, []], [joined.playerId, []]]);
  const draw = async (client: GameClient, playerId: string, id: string, t0: number) => {
    const stroke = makeStroke(id, 25, random, t0);
    const ack = await client.request("stroke:add", { roundId: round.id, stroke }, 20_000);
    assert.equal(ack.ok, true, JSON.stringify(ack));
    if (!ack.duplicate) acked.get(playerId)!.push(id);
  };
  for (let i = 0; i < 3; i++) await Promise.all([draw(ann, created.playerId, `ann-stroke-${i}`, i * 300), draw(bob, joined.playerId, `bob-stroke-${i}`, i * 300)]);

  owner.process.kill("SIGKILL");
  await once(owner.process, "exit");

  // Ann's page reconnects (behind one address it would land on the survivor) and resumes her seat.
  const annAgain = await connect(survivor.url);
  const resumed = await annAgain.request("room:join", { code: created.code, nickname: "Ann", token: created.token }, 20_000);
  assert.equal(resumed.ok, true, JSON.stringify(resumed));
  assert.equal(resumed.playerId, created.playerId);
  assert.equal(annAgain.state?.phase, "drawing");
  // Her earlier strokes came back with the seat.
  const mine = annAgain.snapshot.find((d) => d.playerId === created.playerId);
  assert.deepEqual(mine?.strokes.map((s) => s.id), ["ann-stroke-0", "ann-stroke-1", "ann-stroke-2"]);

  for (let i = 3; i < 5; i++) await Promise.all([draw(annAgain, created.playerId, `ann-stroke-${i}`, i * 300), draw(bob, joined.playerId, `bob-stroke-${i}`, i * 300)]);
  await annAgain.waitFor("Bob's new strokes reach Ann", () => annAgain.received.some((r) => r.stroke.id === "bob-stroke-4"));

  await bob.waitFor("the round finishes on the survivor", () => bob.state?.phase === "results", 45_000);
  const stored = await storedStrokes(round.id);
  assert.deepEqual(stored.get(created.playerId), acked.get(created.playerId));
  assert.deepEqual(stored.get(joined.playerId), acked.get(joined.playerId));
});

test("Redis goes away: each server keeps serving the rooms it runs; when Redis returns, rooms cross servers again", async () => {
  const random = seededRandom(5);
  const [urlA, urlB] = [await inProcessServer(), await inProcessServer()];
  const ann = await connect(urlA);
  const bob = await connect(urlA);
  const eve = await connect(urlB);
  const created = await ann.request("room:create", { nickname: "Ann" });
  assert.equal((await bob.request("room:join", { code: created.code, nickname: "Bob" })).ok, true);
  assert.equal((await eve.request("room:join", { code: created.code, nickname: "Eve" })).ok, true);
  assert.equal((await ann.request("room:settings", { rounds: 1, roundSeconds: 60 })).ok, true);
  assert.equal((await ann.request("game:start", {})).ok, true);
  const round = await eve.waitFor("round on server B", () => eve.state?.phase === "drawing" && eve.state.rounds[0]);

  await redis.stop();
  // Its broadcast to server B is lost, but server A (and this process) stays up and serves its own sockets.
  const during = makeStroke("during-redis-outage", 10, random);
  assert.deepEqual(await ann.request("stroke:add", { roundId: round.id, stroke: during }), {
    ok: true,
    strokeId: during.id,
    duplicate: false,
  });
  await bob.waitFor("live stroke on the same server without Redis", () => bob.received.some((r) => r.stroke.id === during.id));

  await redis.start();
  // Once the servers have reconnected and re-subscribed, strokes reach server B again...
  const after = makeStroke("after-redis-outage", 10, random, 2000);
  assert.equal((await ann.request("stroke:add", { roundId: round.id, stroke: after })).ok, true);
  await eventually("a stroke from A reaching Eve on B", async () => {
    if (eve.received.some((r) => r.stroke.id === after.id)) return true;
    const again = makeStroke(`after-redis-outage-${eve.received.length}-${Date.now() % 1000}`, 10, random, 2500);
    await ann.request("stroke:add", { roundId: round.id, stroke: again });
    return eve.received.some((r) => r.stroke.id.startsWith("after-redis-outage"));
  });
  // ...and requests from B reach the room's owner on A again (re-sent while it re-takes its lease, as the page's outbox does).
  const eveStroke = makeStroke("eve-after-outage", 10, random, 3000);
  const stored = await eventually("Eve's stroke stored through server B", async () => {
    const reply = await eve.request("stroke:add", { roundId: round.id, stroke: eveStroke }, 20_000);
    if (!reply.ok) assert.equal(reply.error.code, "storage_unavailable", JSON.stringify(reply));
    return reply.ok ? reply : null;
  });
  assert.equal(stored.strokeId, eveStroke.id);
  await ann.waitFor("Eve's stroke on server A", () => ann.received.some((r) => r.stroke.id === eveStroke.id));
});

test("a spectator on another server than the room's: the strokes live, its player actions refused there, gone when it goes", async () => {
  const random = seededRandom(15);
  const [urlA, urlB] = [await inProcessServer(), await inProcessServer()];
  const ann = await connect(urlA);
  const bob = await connect(urlA);
  const vera = await connect(urlB);
  const created = await ann.request("room:create", { nickname: "Ann" });
  await bob.request("room:join", { code: created.code, nickname: "Bob" });
  assert.equal((await ann.request("room:settings", { rounds: 1, roundSeconds: 30 })).ok, true);
  assert.equal((await ann.request("game:start", {})).ok, true);
  const round = await ann.waitFor("round", () => ann.state?.phase === "drawing" && ann.state.rounds[0]);
  assert.equal((await ann.request("stroke:add", { roundId: round.id, stroke: makeStroke("ann-before", 10, random) })).ok, true);

  const watched = await vera.request("room:watch", { code: created.code, nickname: "Vera" });
  assert.equal(watched.ok, true, JSON.stringify(watched));
  await vera.waitFor("the snapshot on server B", () => vera.snapshot.some((d) => d.strokes.some((s) => s.id === "ann-before")));
  await ann.waitFor("Vera listed on server A", () => ann.state?.spectators.some((v) => v.id === watched.playerId));
  assert.equal((await bob.request("stroke:add", { roundId: round.id, stroke: makeStroke("bob-live", 10, random) })).ok, true);
  await vera.waitFor("Bob's stroke on server B", () => vera.received.some((e) => e.stroke.id === "bob-live"));

  for (const [event, payload] of [["stroke:add", { roundId: round.id, stroke: makeStroke("vera-stroke-1", 5, random) }], ["game:start", {}]] as const) {
    assert.deepEqual((await vera.request(event, payload)).error, { code: "forbidden", message: "You're watching this game; players draw." }, event);
  }
  vera.close();
  await ann.waitFor("Vera gone", () => ann.state?.spectators.length === 0);
});
