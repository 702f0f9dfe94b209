// Live ink with real socket.io clients against a real server: the points of a stroke being drawn
// reach the others in order, the finished stroke replaces them, and reconnects, late joiners,
// clears, floods and malformed batches behave.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useTestServer } from "../helpers/test-server";
import type { GameClient } from "../helpers/game-client";
import { LIVE_BATCH_BURST, MAX_LIVE_STROKES_PER_PLAYER, flatPoints, pointsOf, type LiveBatch } from "../../protocol";
import { createPostgresStore } from "../../server/persistence/postgres-store";

// Two clients share one test address; four seats per address is the default.
const { connect, databaseUrl } = useTestServer({ trustProxy: 1 });

/** A host and `guests` guests in a one-round game of 60 s, each on its own network; resolves in the round. */
async function room(guests: number) {
  const host = await connect("198.51.100.1");
  const created = await host.request("room:create", { nickname: "Host" });
  assert.equal(created.ok, true);
  const others: GameClient[] = [];
  const seats = [created];
  for (let i = 0; i < guests; i++) {
    const c = await connect(`198.51.100.${i + 2}`);
    const joined = await c.request("room:join", { code: created.code, nickname: `Guest${i}` });
    assert.equal(joined.ok, true, JSON.stringify(joined));
    others.push(c);
    seats.push(joined);
  }
  assert.equal((await host.request("room:settings", { rounds: 1, roundSeconds: 60 })).ok, true);
  assert.equal((await host.request("game:start", {})).ok, true);
  const round = await host.waitFor("round", () => host.state?.phase === "drawing" && host.state.rounds[0]);
  return { host, guests: others, seats, code: created.code as string, round };
}

/** Points i..i+n-1 of a seeded zig-zag, 16 ms apart. */
const points = (from: number, n: number): number[] =>
  flatPoints(Array.from({ length: n }, (_, k): [number, number, number] => [(from + k) * 7 % 256, ((from + k) * 13) % 256, 1000 + (from + k) * 16]));

const send = (c: GameClient, batch: LiveBatch) => c.socket.emit("ink:live", batch);
const liveOf = (c: GameClient, strokeId: string) => c.live.filter((e) => e[1] === strokeId);

test("live points reach every other player in order, and the finished stroke replaces them", async () => {
  const { host, guests, seats, round } = await room(2);
  const id = "live-stroke-0001";
  for (let from = 0; from < 12; from += 3) send(host, [id, from, points(from, 3)]);
  for (const g of guests) {
    await g.waitFor("4 batches", () => liveOf(g, id).length === 4);
    assert.deepEqual(liveOf(g, id).map((e) => [e[0], e[2]]), [[seats[0].playerId, 0], [seats[0].playerId, 3], [seats[0].playerId, 6], [seats[0].playerId, 9]]);
    assert.deepEqual(liveOf(g, id).flatMap((e) => e[3]), points(0, 12), "the points, whole and in order");
  }
  assert.equal(host.live.length, 0, "the drawer is not sent its own ink");

  const stroke = { id, points: pointsOf(points(0, 14)) };
  assert.deepEqual(await host.request("stroke:add", { roundId: round.id, stroke }), { ok: true, strokeId: id, duplicate: false });
  for (const g of guests) await g.waitFor("the finished stroke", () => g.received.some((r) => r.stroke.id === id));

  // A batch for a finished stroke is late news: nobody gets it.
  send(host, [id, 12, points(12, 2)]);
  const marker = "live-stroke-0002";
  send(host, [marker, 0, points(0, 1)]);
  await guests[0]!.waitFor("the next stroke", () => liveOf(guests[0]!, marker).length === 1);
  assert.equal(liveOf(guests[0]!, id).length, 4, "no batch after the stroke was finished");

  // A late joiner gets the finished stroke in the snapshot and the one in progress as live ink.
  const late = await connect("198.51.100.9");
  const joined = await late.request("room:join", { code: host.state!.code, nickname: "Late" });
  assert.equal(joined.ok, true);
  await late.waitFor("the stroke in progress", () => liveOf(late, marker).length === 1);
  assert.deepEqual(liveOf(late, marker)[0], [seats[0].playerId, marker, 0, points(0, 1)]);
  assert.ok(late.snapshot.some((d) => d.strokes.some((s) => s.id === id)));
  assert.equal(liveOf(late, id).length, 0, "a finished stroke is not sent as live ink");

  // A spectator sees the stroke in progress too, and its own live ink goes nowhere.
  const watcher = await connect("198.51.100.10");
  assert.equal((await watcher.request("room:watch", { code: host.state!.code, nickname: "Watcher" })).ok, true);
  await watcher.waitFor("the stroke in progress", () => liveOf(watcher, marker).length === 1);
  send(watcher, ["watcher-stroke-1", 0, points(0, 2)]);
  send(host, [marker, 1, points(1, 1)]);
  await guests[0]!.waitFor("the host's next batch", () => liveOf(guests[0]!, marker).length === 2);
  assert.equal(liveOf(guests[0]!, "watcher-stroke-1").length, 0, "spectators don't draw");
});

test("a drawer who drops mid-stroke: the others drop the live stroke, and after the reconnect it is shown once", async () => {
  const { host, guests, seats, code, round } = await room(1);
  const [guest] = guests as [GameClient];
  const id = "live-reconnect-01";
  send(host, [id, 0, points(0, 5)]);
  await guest.waitFor("live points", () => liveOf(guest, id).length === 1);
  host.close();
  await guest.waitFor("the live stroke dropped", () => guest.removed.some((r) => r.strokeIds.includes(id)));

  const back = await connect("198.51.100.1");
  assert.equal((await back.request("room:join", { code, nickname: "Host", token: seats[0].token })).ok, true);
  // The page starts the stroke again from its first point, then the pen lifts.
  send(back, [id, 0, points(0, 8)]);
  send(back, [id, 8, points(8, 2)]);
  await guest.waitFor("the re-sent live stroke", () => liveOf(guest, id).length === 3);
  assert.deepEqual(liveOf(guest, id)[1]![3], points(0, 8), "re-sent from 0: the receiver replaces, not appends");
  const stroke = { id, points: pointsOf(points(0, 10)) };
  assert.equal((await back.request("stroke:add", { roundId: round.id, stroke })).ok, true);
  assert.equal((await back.request("stroke:add", { roundId: round.id, stroke })).duplicate, true);
  await guest.waitFor("the finished stroke", () => guest.received.some((r) => r.stroke.id === id));
  assert.equal(guest.received.filter((r) => r.stroke.id === id).length, 1, "shown once");

  const store = createPostgresStore(databaseUrl());
  try {
    const drawings = await store.loadRoundDrawings(round.id);
    const mine = drawings.find((d) => d.playerId === seats[0].playerId)!;
    assert.deepEqual(mine.strokes.map((s) => s.clientId), [id], "stored once");
  } finally {
    await store.close();
  }
});

test("batches out of turn are dropped; a clear wipes the stroke in progress; a third stroke evicts the oldest", async () => {
  const { host, guests, round } = await room(1);
  const [guest] = guests as [GameClient];
  send(host, ["gap-stroke-0001", 3, points(3, 2)]);
  send(host, ["gap-stroke-0002", 0, points(0, 2)]);
  send(host, ["gap-stroke-0002", 5, points(5, 2)]);
  send(host, ["gap-stroke-0002", 2, points(2, 1)]);
  await guest.waitFor("the batches in turn", () => liveOf(guest, "gap-stroke-0002").length === 2);
  assert.deepEqual(liveOf(guest, "gap-stroke-0001"), [], "a stroke must start at point 0");
  assert.deepEqual(liveOf(guest, "gap-stroke-0002").map((e) => e[2]), [0, 2], "the batch after a gap is dropped");

  for (let i = 3; i < 3 + MAX_LIVE_STROKES_PER_PLAYER; i++) send(host, [`gap-stroke-000${i}`, 0, points(0, 1)]);
  await guest.waitFor("the oldest evicted", () => guest.removed.some((r) => r.strokeIds.includes("gap-stroke-0002")));

  assert.equal((await host.request("drawing:clear", { roundId: round.id })).ok, true);
  const cleared = await guest.waitFor("the clear", () => guest.removed.find((r) => r.strokeIds.includes("gap-stroke-0003")));
  assert.ok(cleared.strokeIds.includes(`gap-stroke-000${MAX_LIVE_STROKES_PER_PLAYER + 2}`));
});

test("a flood of live ink is capped and told once; malformed batches get a clear error; strokes are still acknowledged", async () => {
  const { host, guests, round } = await room(1);
  const [guest] = guests as [GameClient];
  for (let i = 0; i < 3 * LIVE_BATCH_BURST; i++) send(host, ["flood-stroke-01", i, points(i, 1)]);
  const stroke = { id: "flood-finished-1", points: pointsOf(points(0, 20)) };
  const ack = await host.request("stroke:add", { roundId: round.id, stroke });
  assert.deepEqual(ack, { ok: true, strokeId: stroke.id, duplicate: false }, "the flood never refuses a finished stroke");
  await host.waitFor("the flood refused", () => host.errors.some((e) => e.event === "ink:live" && e.code === "rate_limited"));
  await guest.waitFor("the finished stroke", () => guest.received.some((r) => r.stroke.id === stroke.id));
  const passed = liveOf(guest, "flood-stroke-01").length;
  assert.ok(passed >= LIVE_BATCH_BURST && passed < 2 * LIVE_BATCH_BURST, `${passed} batches passed`);
  // Batches taken in one turn of the server's event loop travel together.
  assert.ok(guest.liveMessages < passed / 2, `${passed} batches in ${guest.liveMessages} messages`);
  assert.equal(host.errors.filter((e) => e.event === "ink:live").length, 1, "told once, not once per batch");

  // Malformed batches, on a fresh socket (the refusal notice is throttled per socket).
  const cases: [unknown, RegExp][] = [
    [{ strokeId: "x" }, /\[strokeId, from, points\]/],
    [["short", 0, [1, 2, 3]], /stroke id/],
    [["valid-id-0001", -1, [1, 2, 3]], /from/],
    [["valid-id-0001", 0, [1, 2]], /triples/],
    [["valid-id-0001", 0, [1, 256, 3]], /y must be/],
    [["valid-id-0001", 499, [1, 2, 3, 4, 5, 6]], /at most 500 points/],
  ];
  for (const [payload, message] of cases) {
    const c = await connect("198.51.100.1");
    c.socket.emit("ink:live", payload as LiveBatch);
    const e = await c.waitFor("the error", () => c.errors.find((x) => x.event === "ink:live"));
    assert.equal(e.code, "bad_request");
    assert.match(e.message, message);
    c.close();
  }
  // Pages send no ack; a client that asks for one is answered all the same.
  const asking = await connect("198.51.100.1");
  const refused = await asking.request("ink:live", ["valid-id-0001", 0, [1, 2]]);
  assert.equal(refused.ok, false);
  assert.equal(refused.error.code, "bad_request");
  assert.deepEqual(await asking.request("ink:live", ["valid-id-0001", 0, [1, 2, 3]]), { ok: false, error: { code: "not_in_room", message: "You are not in a room." } });
});
