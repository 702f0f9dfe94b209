// Cheap requests from one client must not cost everyone else: snapshots are not resent to a
// seated socket and run dry per address, and ink per drawing is capped in the runtime and in
// Postgres, undone and cleared strokes included. Each attack here gets its error in words while
// an honest player in the same room keeps drawing and nothing acknowledged is lost.
import { test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { useTestServer } from "../helpers/test-server";
import { makeStroke, type GameClient } from "../helpers/game-client";
import { seededRandom } from "../../common/random";
import { MAX_POINTS_PER_DRAWING, MAX_POINTS_PER_STROKE } from "../../protocol";
import { createPostgresStore } from "../../server/persistence/postgres-store";

// Each client says who it is through X-Forwarded-For, as clients behind a proxy would.
const SNAPSHOT_BUDGET = 200_000;
const ADMIN_TOKEN = "short";
const { connect, databaseUrl, url } = useTestServer({
  trustProxy: 1,
  addressLimits: { snapshotBytesPerMinute: SNAPSHOT_BUDGET },
  adminToken: ADMIN_TOKEN,
});
const random = seededRandom(13);

/** A host at 10.0.0.1 and a guest at 10.0.0.2 in a round of 60 s. */
async function round(): Promise<{ host: GameClient; guest: GameClient; code: string; roundId: string; guestSeat: { playerId: string; token: string } }> {
  const [host, guest] = await Promise.all([connect("10.0.0.1"), connect("10.0.0.2")]);
  const { code } = await host.request("room:create", { nickname: "Host" });
  const guestSeat = await guest.request("room:join", { code, nickname: "Guest" });
  assert.equal((await host.request("room:settings", { rounds: 1, roundSeconds: 60 })).ok, true);
  assert.equal((await host.request("game:start", {})).ok, true);
  const { id: roundId } = await guest.waitFor("the round", () => guest.state?.phase === "drawing" && guest.state.rounds[0]);
  return { host, guest, code, roundId, guestSeat };
}

async function drawn(client: GameClient, roundId: string, id: string, points: number) {
  const stroke = makeStroke(id, points, random);
  return { stroke, ack: await client.request("stroke:add", { roundId, stroke }) };
}

test("re-joining the room a socket sits in sends no snapshot; new sockets' reloads run dry per address", async () => {
  const { host, guest, code, roundId, guestSeat } = await round();
  for (let i = 0; i < 5; i++) assert.equal((await drawn(host, roundId, `host-stroke-${i}`, 400)).ack.ok, true);
  await guest.waitFor("the host's strokes", () => guest.received.length === 5);
  const before = { ...guest.snapshots };

  for (let i = 0; i < 20; i++) {
    const again = await guest.request("room:join", { code, nickname: "Guest" });
    assert.deepEqual([again.ok, again.playerId], [true, guestSeat.playerId]);
  }
  assert.deepEqual(guest.snapshots, before, "a seated socket is sent nothing it already has");

  // Reloads in new sockets each cost a snapshot, until the address's budget runs dry.
  const reloads: GameClient[] = [];
  let refused = null;
  for (let i = 0; i < 20 && !refused; i++) {
    const tab = await connect("10.0.0.2");
    reloads.push(tab);
    const joined = await tab.request("room:join", { code, nickname: "Guest", token: guestSeat.token });
    if (!joined.ok) refused = joined.error;
    else assert.equal(tab.snapshot.find((d) => d.playerId === host.state!.players[0]!.id)?.strokes.length, 5);
  }
  assert.equal(refused?.code, "rate_limited");
  assert.match(refused!.message, /reloaded many times from your network/);
  const sent = reloads.reduce((sum, c) => sum + c.snapshots.bytes, 0);
  assert.ok(sent <= SNAPSHOT_BUDGET, `${sent} bytes of snapshots within the budget`);

  // Another address is not held back, and the room plays on.
  const friend = await connect("10.0.0.3");
  assert.equal((await friend.request("room:join", { code, nickname: "Friend" })).ok, true);
  assert.equal(friend.snapshots.count, 1);
  assert.equal((await drawn(host, roundId, "host-stroke-last", 10)).ack.ok, true);
});

test("ink per drawing is capped, undone and cleared strokes included, in the server and in Postgres", async () => {
  const { host, guest, roundId } = await round();
  const perStroke = MAX_POINTS_PER_STROKE;
  const fits = MAX_POINTS_PER_DRAWING / perStroke;
  const acked: string[] = [];
  // Add + clear cycles: the canvas empties but the ink is spent.
  for (let i = 0; i < fits; i++) {
    const { stroke, ack } = await drawn(guest, roundId, `guest-ink-${i}`, perStroke);
    assert.equal(ack.ok, true, JSON.stringify(ack));
    acked.push(stroke.id);
    if (i % 10 === 9) assert.equal((await guest.request("drawing:clear", { roundId })).ok, true);
  }
  const { ack: over } = await drawn(guest, roundId, "guest-ink-over", 1);
  assert.equal(over.error.code, "too_large");
  assert.match(over.error.message, /used up its ink \(20,000 points/);

  // The honest host in the same room draws on.
  const { stroke: honest, ack } = await drawn(host, roundId, "host-honest-1", 50);
  assert.equal(ack.ok, true);

  const db = new pg.Client({ connectionString: databaseUrl() });
  await db.connect();
  try {
    const { rows } = await db.query<{ nickname: string; points_stored: number; strokes_stored: number; points: number }>(
      `SELECT p.nickname, d.points_stored, d.strokes_stored, coalesce(sum(cardinality(s.xs)), 0)::int AS points
         FROM drawings d JOIN players p ON p.id = d.player_id LEFT JOIN strokes s ON s.drawing_id = d.id
        WHERE d.round_id = $1 GROUP BY p.nickname, d.points_stored, d.strokes_stored ORDER BY p.nickname`,
      [roundId],
    );
    assert.deepEqual(rows, [
      { nickname: "Guest", points_stored: MAX_POINTS_PER_DRAWING, strokes_stored: fits, points: MAX_POINTS_PER_DRAWING },
      { nickname: "Host", points_stored: honest.points.length, strokes_stored: 1, points: honest.points.length },
    ]);
    const stored = await db.query<{ client_id: string }>(
      `SELECT client_id FROM strokes s JOIN drawings d ON d.id = s.drawing_id JOIN players p ON p.id = d.player_id
        WHERE d.round_id = $1 AND p.nickname = 'Guest' ORDER BY seq`,
      [roundId],
    );
    assert.deepEqual(stored.rows.map((r) => r.client_id), acked, "every acknowledged stroke is stored");

    // Postgres holds the same cap whoever writes: a row past it is refused, the others land.
    const { rows: [guestDrawing] } = await db.query<{ id: string }>(
      `SELECT d.id FROM drawings d JOIN players p ON p.id = d.player_id WHERE d.round_id = $1 AND p.nickname = 'Guest'`,
      [roundId],
    );
    const store = createPostgresStore(databaseUrl());
    try {
      await assert.rejects(
        store.saveStrokes([{ drawingId: guestDrawing!.id, clientId: "direct-write-1", points: [[1, 2, 3]] }]),
        /drawings_ink_cap/,
      );
    } finally {
      await store.close();
    }
  } finally {
    await db.end();
  }
});

test("exports and galleries: parallel requests share one load, an address that asks too often is told to wait", async () => {
  const { host, guest, roundId } = await round();
  for (let i = 0; i < 20; i++) assert.equal((await drawn(guest, roundId, `guest-export-${i}`, MAX_POINTS_PER_STROKE)).ack.ok, true);
  const exportOf = (address: string) =>
    fetch(`${url()}/api/rounds/${roundId}/drawings.ndjson`, { headers: { "x-forwarded-for": address } });

  // Ten at once while the honest host draws: no 5xx, one body for all, the host's strokes acknowledged.
  const [responses, honest] = await Promise.all([
    Promise.all(Array.from({ length: 10 }, () => exportOf("10.0.0.7"))),
    Promise.all(Array.from({ length: 5 }, (_, i) => drawn(host, roundId, `host-during-export-${i}`, 20))),
  ]);
  assert.deepEqual(responses.map((r) => r.status), Array(10).fill(200));
  const bodies = await Promise.all(responses.map((r) => r.text()));
  assert.equal(new Set(bodies).size, 1);
  const guestRecord = bodies[0]!.trim().split("\n").map((l) => JSON.parse(l)).find((r) => r.drawing.length === 20);
  assert.equal(guestRecord.drawing.flatMap((s: number[][]) => s[0]).length, 20 * MAX_POINTS_PER_STROKE, "every point exported");
  assert.ok(honest.every((h) => h.ack.ok));

  // The same address past its 30 a minute is refused in words; another address is not.
  let refused: Response | null = null;
  for (let i = 0; i < 30 && !refused; i++) {
    const res = await exportOf("10.0.0.7");
    if (res.status === 429) refused = res;
    else await res.arrayBuffer();
  }
  assert.equal(refused?.status, 429);
  assert.match(await refused!.text(), /Too many downloads from your network/);
  assert.equal((await exportOf("10.0.0.8")).status, 200);
  assert.equal((await fetch(`${url()}/api/games/${host.state!.gallery!.roomId}/1`, { headers: { "x-forwarded-for": "10.0.0.7" } })).status, 429);
});

test("one network can't fill a room or outvote its players", async () => {
  const [host, friend] = await Promise.all([connect("10.2.0.1"), connect("10.2.0.2")]);
  const { code, playerId: hostId } = await host.request("room:create", { nickname: "Host" });
  assert.equal((await friend.request("room:join", { code, nickname: "Friend" })).ok, true);

  const sybils: GameClient[] = [];
  let refused = null;
  for (let i = 0; i < 11 && !refused; i++) {
    const sybil = await connect("10.2.0.66");
    const joined = await sybil.request("room:join", { code, nickname: `Sybil ${i}` });
    if (joined.ok) sybils.push(sybil);
    else refused = joined.error;
  }
  assert.equal(sybils.length, 4, "four seats for one network (the default)");
  assert.equal(refused?.code, "room_full");
  assert.match(refused!.message, /already has 4 players from your network/);

  for (const sybil of sybils) assert.equal((await sybil.request("player:kick", { playerId: hostId })).ok, true);
  const seen = await host.waitFor("the votes counted", () => host.state?.players.find((p) => p.id === hostId && p.kickVotes > 0));
  assert.deepEqual([seen.kickVotes, seen.kickVotesNeeded], [1, 2], "four sockets of one network are one vote of the two needed");
  assert.ok(seen.isHost, "the host keeps the room");
  // A friend from another network still gets a seat, and the host still runs the game.
  const late = await connect("10.2.0.3");
  assert.equal((await late.request("room:join", { code, nickname: "Late friend" })).ok, true);
  assert.equal((await host.request("room:settings", { rounds: 1, roundSeconds: 30 })).ok, true);
});

test("nicknames with invisible characters or lookalike letters can't pass for another player", async () => {
  const host = await connect("10.3.0.1");
  const { code } = await host.request("room:create", { nickname: "host" });
  for (const [address, nickname] of [["10.3.0.2", "h\u200Bo\u200Bs\u200Bt"], ["10.3.0.3", "\u202Etsoh\u202C"], ["10.3.0.4", "Ηοѕt"]]) {
    assert.equal((await (await connect(address)).request("room:join", { code, nickname })).ok, true);
  }
  const players = await host.waitFor("four players", () => host.state?.players.length === 4 && host.state.players);
  assert.deepEqual(players.map((p) => p.nickname), ["host", "host 2", "tsoh", "Ηοѕt 3"]);
});

test("admin: guessing the token is throttled per address; logout ends the session everywhere", async () => {
  const login = (token: string, address: string) =>
    fetch(`${url()}/api/admin/login`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: url(), "x-forwarded-for": address },
      body: JSON.stringify({ token }),
    });
  const statuses = [];
  for (let i = 0; i < 6; i++) statuses.push((await login(`guess-${i}`, "10.4.0.66")).status);
  assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429]);
  const refused = await login(ADMIN_TOKEN, "10.4.0.66");
  assert.equal(refused.status, 429, "even the right token waits");
  assert.match((await refused.json()).error, /Too many login attempts just now/);

  const ok = await login(ADMIN_TOKEN, "10.4.0.1");
  assert.equal(ok.status, 200);
  const cookie = ok.headers.get("set-cookie")!.split(";")[0]!;
  const adminPage = async () => (await fetch(`${url()}/admin`, { headers: { cookie }, redirect: "manual" })).status;
  assert.equal(await adminPage(), 404, "signed in: no redirect to the login page (no pages in tests)");
  const out = await fetch(`${url()}/api/admin/logout`, { method: "POST", headers: { "content-type": "application/json", origin: url(), cookie } });
  assert.equal(out.status, 200);
  // The cookie itself is still validly signed and unexpired: only the session version says no.
  assert.equal(await adminPage(), 303);
  const db = new pg.Client({ connectionString: databaseUrl() });
  await db.connect();
  try {
    assert.deepEqual((await db.query(`SELECT version FROM admin_session_version`)).rows, [{ version: 1 }]);
  } finally {
    await db.end();
  }
});
