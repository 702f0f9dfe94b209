// Spectators with real socket.io clients on a real server: one opens the room mid-round and
// watches the strokes live, is refused every player action in words, never scores or dances,
// leaves when its socket goes, and takes a seat at the rematch when it asked and one is free.
// Clients come from networks of their own (X-Forwarded-For behind a trusted proxy).
import { test } from "node:test";
import assert from "node:assert/strict";
import { useTestServer } from "../helpers/test-server";
import { makeStroke, type GameClient } from "../helpers/game-client";
import { seededRandom } from "../../common/random";
import { MAX_SPECTATORS_PER_ROOM } from "../../protocol";

const { connect } = useTestServer({ trustProxy: 1 });
const random = seededRandom(15);
let network = 0;
const fresh = () => connect(`10.15.0.${++network}`);

/** Ann hosts, Bob joins, a one-round game of `roundSeconds` starts. */
async function playing(roundSeconds = 10) {
  const [ann, bob] = [await fresh(), await fresh()];
  const { code } = await ann.request("room:create", { nickname: "Ann" });
  const bobSeat = await bob.request("room:join", { code, nickname: "Bob" });
  await ann.request("room:settings", { rounds: 1, roundSeconds });
  assert.deepEqual(await ann.request("game:start", {}), { ok: true });
  const round = await ann.waitFor("the round", () => ann.state?.phase === "drawing" && ann.state.rounds[0]);
  return { ann, bob, bobId: bobSeat.playerId as string, code: code as string, roundId: round.id };
}

async function watching(code: string, nickname = "Vera", client?: GameClient, token?: string) {
  const viewer = client ?? (await fresh());
  const reply = await viewer.request("room:watch", { code, nickname, token });
  assert.equal(reply.ok, true, JSON.stringify(reply));
  return { viewer, id: reply.playerId as string, token: reply.token as string };
}

test("a spectator opens the room mid-round: the strokes so far, then every stroke live, and listed apart", async () => {
  const { ann, bob, code, roundId } = await playing(30);
  assert.equal((await ann.request("stroke:add", { roundId, stroke: makeStroke("ann-stroke-1", 20, random) })).ok, true);

  const { viewer, id, token } = await watching(code);
  const snapshot = await viewer.waitFor("the snapshot", () => viewer.snapshots.count === 1 && viewer.snapshot);
  assert.deepEqual(snapshot.find((d) => d.strokes.length)?.strokes.map((s) => s.id), ["ann-stroke-1"]);
  assert.equal(viewer.state?.phase, "drawing");

  for (const player of [ann, bob, viewer]) {
    const state = await player.waitFor("the spectator listed", () => player.state?.spectators.length === 1 && player.state);
    assert.deepEqual(state.spectators, [{ id, nickname: "Vera", joinNext: false }]);
    assert.deepEqual(state.players.map((p) => p.nickname), ["Ann", "Bob"], "watchers take no seat");
  }

  assert.equal((await bob.request("stroke:add", { roundId, stroke: makeStroke("bob-stroke-1", 30, random) })).ok, true);
  const live = await viewer.waitFor("Bob's stroke live", () => viewer.received.find((e) => e.stroke.id === "bob-stroke-1"));
  assert.equal(live.stroke.points.length, 30);
  assert.equal((await bob.request("stroke:undo", { roundId, strokeId: "bob-stroke-1" })).ok, true);

  // The spectator's page goes away: it is no longer listed, and its token no longer names anyone.
  viewer.close();
  await ann.waitFor("the spectator gone", () => ann.state?.spectators.length === 0);
  const back = await watching(code, "Vera", undefined, token);
  assert.notEqual(back.id, id, "a new place: the old one went with its socket");
});

test("every player action from a spectator is refused in words", async () => {
  const { ann, bobId, code, roundId } = await playing(30);
  const { viewer } = await watching(code);
  const actions: [event: string, payload: object][] = [
    ["stroke:add", { roundId, stroke: makeStroke("vera-stroke-1", 5, random) }],
    ["stroke:undo", { roundId, strokeId: "vera-stroke-1" }],
    ["drawing:clear", { roundId }],
    ["drawing:recognized", { roundId, strokeId: "vera-stroke-1" }],
    ["player:kick", { playerId: bobId }],
    ["game:start", {}],
    ["room:settings", { rounds: 3, roundSeconds: 30 }],
    ["gallery:next", {}],
    ["game:rematch", {}],
  ];
  for (const [event, payload] of actions) {
    const reply = await viewer.request(event, payload);
    assert.deepEqual(reply, { ok: false, error: { code: "forbidden", message: "You're watching this game; players draw." } }, event);
  }
  const told = await viewer.waitFor("each refusal as an error event", () => viewer.errors.length === actions.length && viewer.errors);
  assert.deepEqual(told.map((e) => e.event), actions.map(([event]) => event));
  // Nothing happened: no vote, no stroke, same settings.
  assert.equal(ann.state?.players.find((p) => p.id === bobId)?.kickVotes, 0);
  assert.equal(ann.received.length, 0);
  assert.equal(ann.state?.settings.rounds, 1);
  // And a player can't vote a spectator out.
  const { id } = await watching(code, "Walt");
  assert.equal((await ann.request("player:kick", { playerId: id })).error.code, "not_found");
});

test("spectators are in neither the scores nor the dance, and one who asked takes a seat at the rematch", async () => {
  const { ann, bob, code, roundId } = await playing(10);
  const { viewer, id, token } = await watching(code);
  const quiet = await watching(code, "Quinn");
  assert.deepEqual(await viewer.request("spectator:join-next", { join: true }), { ok: true });
  await ann.waitFor("the ask shown", () => ann.state?.spectators.find((v) => v.id === id)?.joinNext);
  for (const [player, name] of [[ann, "ann"], [bob, "bob"]] as const) {
    assert.equal((await player.request("stroke:add", { roundId, stroke: makeStroke(`${name}-stroke-1`, 20, random) })).ok, true);
  }

  const gallery = await viewer.waitFor("the gallery", () => viewer.state?.phase === "gallery" && viewer.state, 20_000);
  const playerIds = gallery.players.map((p) => p.id);
  assert.deepEqual(gallery.dance?.steps.map((s) => s.playerId), playerIds, "the players' doodles dance, nobody else's");
  assert.ok(gallery.players.every((p) => p.score > 0));
  assert.equal(gallery.players.length, 2);

  assert.deepEqual(await ann.request("gallery:next", {}), { ok: true });
  const results = await viewer.waitFor("the results", () => viewer.state?.phase === "results" && viewer.state);
  assert.deepEqual(results.dance?.steps.map((s) => s.playerId), playerIds);
  assert.deepEqual(await ann.request("game:rematch", {}), { ok: true });

  const lobby = await viewer.waitFor("a seat at the new game", () => viewer.state?.phase === "lobby" && viewer.state.players.some((p) => p.id === id) && viewer.state);
  assert.deepEqual(lobby.players.map((p) => p.nickname), ["Ann", "Bob", "Vera"]);
  assert.deepEqual(lobby.spectators.map((v) => v.nickname), ["Quinn"], "who didn't ask keeps watching");
  // Now a player: its token brings the seat back, by either door.
  const back = await fresh();
  const again = await back.request("room:watch", { code, nickname: "Vera", token });
  assert.deepEqual([again.ok, again.playerId], [true, id]);
  assert.equal((await back.request("room:settings", { rounds: 2, roundSeconds: 10 })).error.code, "forbidden", "not the host, but no longer refused as a watcher");
  assert.match((await back.request("room:settings", { rounds: 2, roundSeconds: 10 })).error.message, /Only the host/);
  // A lobby seats an asker at once while seats are free.
  assert.deepEqual(await quiet.viewer.request("spectator:join-next", { join: true }), { ok: true });
  await ann.waitFor("Quinn seated", () => ann.state?.players.length === 4 && ann.state.spectators.length === 0);
});

test("a spectator who asks to join takes a seat now, drawing from the next round", async () => {
  const { ann, code } = await playing(30);
  const { viewer, id } = await watching(code);
  const seat = await viewer.request("room:join", { code, nickname: "Vera" });
  assert.equal(seat.ok, true);
  assert.notEqual(seat.playerId, id);
  const state = await ann.waitFor("Vera seated", () => ann.state?.players.length === 3 && ann.state);
  assert.deepEqual(state.spectators, []);
  assert.equal(state.players.at(-1)?.waiting, true);
});

test("the spectators' caps: per room and per network, said in words", async () => {
  const { code } = await playing(60);
  const perNetwork = 4;
  const viewers: Awaited<ReturnType<typeof watching>>[] = [];
  for (let i = 0; i < MAX_SPECTATORS_PER_ROOM; i++) {
    const client = await connect(`10.16.${Math.floor(i / perNetwork)}.1`);
    viewers.push(await watching(code, `Fan ${i}`, client));
  }
  const late = await connect("10.16.99.1");
  const refused = await late.request("room:watch", { code, nickname: "Late" });
  assert.equal(refused.error.code, "room_full");
  assert.match(refused.error.message, new RegExp(`${MAX_SPECTATORS_PER_ROOM} people are watching this room already`));

  // One leaves: one network's fifth watcher is still refused, another network gets in.
  viewers[0]!.viewer.close();
  await viewers[1]!.viewer.waitFor("a place free", () => viewers[1]!.viewer.state?.spectators.length === MAX_SPECTATORS_PER_ROOM - 1);
  const fifth = await connect("10.16.1.1");
  assert.match((await fifth.request("room:watch", { code, nickname: "Fifth" })).error.message, /4 people from your network are watching/);
  assert.equal((await late.request("room:watch", { code, nickname: "Late" })).ok, true);
  // A wrong code counts against the network as a join's does.
  assert.equal((await late.request("room:watch", { code: "ZZZZZZ", nickname: "Late" })).error.code, "not_found");
});
