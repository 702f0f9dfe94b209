// Four real socket.io clients play a 2-round game against a real server and the real Postgres.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useTestServer } from "../helpers/test-server";
import { createPostgresStore } from "../../server/persistence/postgres-store";
import { GameClient, makeStroke } from "../helpers/game-client";
import { seededRandom } from "../../common/random";
import type { Stroke } from "../../protocol";

const { url, databaseUrl, connect } = useTestServer();

test("four players play a 2-round game; every stroke is stored once, point by point", async () => {
  const random = seededRandom(42);
  const [ann, bob, cy, dee] = await Promise.all([connect(), connect(), connect(), connect()]);
  const created = await ann.request("room:create", { nickname: "Ann" });
  assert.equal(created.ok, true);
  const code: string = created.code;
  assert.match(code, /^[A-Z2-9]{6}$/);

  const seats: Record<string, { playerId: string; token: string }> = { Ann: created };
  for (const [client, name] of [[bob, "Bob"], [cy, "Cy"], [dee, "Dee"]] as const) {
    const joined = await client.request("room:join", { code, nickname: name });
    assert.equal(joined.ok, true, JSON.stringify(joined));
    seats[name] = joined;
  }
  await ann.waitFor("4 players in the lobby", () => ann.state?.players.length === 4);
  assert.deepEqual(ann.state!.players.map((p) => [p.nickname, p.isHost]), [
    ["Ann", true], ["Bob", false], ["Cy", false], ["Dee", false],
  ]);

  assert.equal((await bob.request("game:start", {})).error.code, "forbidden", "only the host starts");
  assert.equal((await ann.request("room:settings", { rounds: 2, roundSeconds: 10 })).ok, true);
  assert.equal((await ann.request("game:start", {})).ok, true);

  /** What each player drew, by round: the expected database contents. */
  const drawn = new Map<string, Map<string, Stroke[]>>();
  const draw = async (client: GameClient, name: string, roundId: string, count: number) => {
    for (let i = 0; i < count; i++) {
      const stroke = makeStroke(`${name}-${roundId.slice(0, 8)}-${i}`, 5 + Math.floor(random() * 40), random, i * 700);
      const ack = await client.request("stroke:add", { roundId, stroke });
      assert.deepEqual(ack, { ok: true, strokeId: stroke.id, duplicate: false });
      const byPlayer = drawn.get(roundId) ?? new Map<string, Stroke[]>();
      byPlayer.set(seats[name]!.playerId, [...(byPlayer.get(seats[name]!.playerId) ?? []), stroke]);
      drawn.set(roundId, byPlayer);
    }
  };

  // Round 1: everyone draws; Dee loses the connection mid-round and comes back.
  const round1 = await ann.waitFor("round 1", () => ann.state?.phase === "drawing" && ann.state.rounds[0]);
  assert.ok(round1.word.length > 0);
  for (const c of [bob, cy, dee]) await c.waitFor("round 1 everywhere", () => c.state?.phase === "drawing");
  await Promise.all([draw(ann, "Ann", round1.id, 3), draw(bob, "Bob", round1.id, 2), draw(cy, "Cy", round1.id, 4)]);
  await draw(dee, "Dee", round1.id, 2);

  // A stroke sent just before the connection drops: its ack never arrives.
  const unacked = makeStroke("Dee-unacked-stroke", 12, random, 5000);
  dee.socket.emit("stroke:add", { roundId: round1.id, stroke: unacked }, () => {});
  dee.close();
  await ann.waitFor("Dee shown as disconnected", () => ann.state?.players.find((p) => p.nickname === "Dee")?.connected === false);

  const dee2 = await connect();
  const resumed = await dee2.request("room:join", { code, nickname: "Dee", token: seats.Dee!.token });
  assert.equal(resumed.ok, true);
  assert.equal(resumed.playerId, seats.Dee!.playerId, "same seat back");
  await dee2.waitFor("snapshot with Dee's doodle", () =>
    dee2.snapshot.some((d) => d.playerId === seats.Dee!.playerId && d.strokes.length >= 2),
  );
  // The client re-sends what it never saw acknowledged; it is stored once.
  const resent = await dee2.request("stroke:add", { roundId: round1.id, stroke: unacked });
  assert.equal(resent.ok, true);
  drawn.get(round1.id)!.get(seats.Dee!.playerId)!.push(unacked);
  const again = await dee2.request("stroke:add", { roundId: round1.id, stroke: unacked });
  assert.deepEqual(again, { ok: true, strokeId: unacked.id, duplicate: true });
  await ann.waitFor("Dee back", () => ann.state?.players.find((p) => p.nickname === "Dee")?.connected === true);

  // Live views: Bob saw Ann's strokes as they were drawn.
  const annRound1 = drawn.get(round1.id)!.get(seats.Ann!.playerId)!;
  await bob.waitFor("Ann's strokes at Bob", () =>
    annRound1.every((s) => bob.received.some((r) => r.stroke.id === s.id && r.playerId === seats.Ann!.playerId)),
  );
  assert.ok(!ann.received.some((r) => r.playerId === seats.Ann!.playerId), "nobody is echoed their own strokes");

  // Undo: the last stroke leaves the canvas (and the expected export) but stays stored, marked removed.
  const cyStrokes = drawn.get(round1.id)!.get(seats.Cy!.playerId)!;
  const undone = cyStrokes.pop()!;
  assert.equal((await cy.request("stroke:undo", { roundId: round1.id, strokeId: undone.id })).ok, true);

  await ann.waitFor("round 1 gallery", () => ann.state?.phase === "gallery", 20_000);
  const round2 = await ann.waitFor("round 2", () => ann.state?.phase === "drawing" && ann.state.rounds[1], 20_000);
  assert.notEqual(round2.word, round1.word);
  await dee2.waitFor("round 2 at Dee", () => dee2.state?.phase === "drawing" && dee2.state.rounds.length === 2);
  await Promise.all([draw(ann, "Ann", round2.id, 2), draw(bob, "Bob", round2.id, 1), draw(dee2, "Dee", round2.id, 3)]);

  await ann.waitFor("results", () => ann.state?.phase === "results", 30_000);
  const scores = Object.fromEntries(ann.state!.players.map((p) => [p.nickname, p.score]));
  assert.deepEqual(scores, { Ann: 20, Bob: 20, Cy: 10, Dee: 20 }, "a doodle in a round scores; Cy skipped round 2");

  // The database holds exactly what was drawn, point by point, in order.
  const store = createPostgresStore(databaseUrl());
  try {
    for (const [roundId, byPlayer] of drawn) {
      const stored = await store.loadRoundDrawings(roundId);
      for (const [playerId, strokes] of byPlayer) {
        const drawing = stored.find((d) => d.playerId === playerId);
        assert.ok(drawing, `drawing of ${playerId} in round ${roundId}`);
        assert.deepEqual(
          drawing.strokes.map((s) => ({ id: s.clientId, points: s.points })),
          strokes.map((s) => ({ id: s.id, points: s.points })),
        );
      }
    }
  } finally {
    await store.close();
  }

  // Round 1 exports in Quick, Draw!'s ndjson format: one record per player, [xs, ys, ts] per stroke.
  const res = await fetch(`${url()}/api/rounds/${round1.id}/drawings.ndjson`);
  assert.equal(res.status, 200);
  const records = (await res.text()).trim().split("\n").map((line) => JSON.parse(line));
  assert.equal(records.length, 4);
  assert.ok(records.every((r) => r.word === round1.word && /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ UTC$/.test(r.timestamp)));
  const annRecord = records.find((r) => r.drawing.length === annRound1.length && r.drawing[0][0][0] === annRound1[0]!.points[0]![0]);
  assert.deepEqual(annRecord.drawing, annRound1.map((s) => [s.points.map((p) => p[0]), s.points.map((p) => p[1]), s.points.map((p) => p[2])]));
  assert.equal((await fetch(`${url()}/api/rounds/00000000-0000-0000-0000-000000000000/drawings.ndjson`)).status, 404);

  // Rematch keeps the room and its players.
  assert.equal((await ann.request("game:rematch", {})).ok, true);
  await bob.waitFor("back in the lobby", () => bob.state?.phase === "lobby" && bob.state.rounds.length === 0);
  assert.equal(bob.state!.players.length, 4);
});
