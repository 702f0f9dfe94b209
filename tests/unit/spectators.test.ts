// Spectators' rules (game/spectators.ts) as tables of cases: who may watch, what leaving and
// reconnecting do, who takes a seat when the next game opens, and that watchers never score,
// draw or dance.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  checkDrawing,
  createRoom,
  join,
  rematch,
  startGame,
  tick,
  toRoomView,
  type Context,
  type Outcome,
  type RoomState,
} from "../../game/room";
import {
  askToJoinNext,
  disconnectPlace,
  dropAbsentSpectators,
  entryChoices,
  leavePlace,
  placeOf,
  resumePlace,
  seatAskers,
  stopWatching,
  watch,
  watchRefusal,
} from "../../game/spectators";
import { voteKick } from "../../game/vote-kick";
import { seededRandom } from "../../common/random";
import { MAX_PLAYERS_PER_ROOM, MAX_SPECTATORS_PER_ROOM } from "../../protocol";

const NOW = 1_000_000;

function ok(outcome: Outcome): RoomState {
  if (!outcome.ok) assert.fail(`expected ok, got ${outcome.error.code}: ${outcome.error.message}`);
  return outcome.state;
}

function ctx(now = NOW): Context {
  let n = 0;
  return {
    now,
    newId: () => `r${++n}`,
    random: seededRandom(7),
    words: [{ word: "cat", weight: 1 }],
    scoreRound: (round) => Object.fromEntries(round.drawers.map((id) => [id, 10])),
    inkedDrawers: (round) => round.drawers,
  };
}

/** Players p1..pN (p1 hosts) from networks "n1".., then spectators v1..vM from the given networks. */
function room(players: number, spectators: string[] = [], phase: "lobby" | "drawing" = "lobby"): RoomState {
  let s = createRoom("ABCDEF");
  for (let i = 1; i <= players; i++) s = ok(join(s, { id: `p${i}`, nickname: `P${i}`, address: `n${i}` }));
  if (phase === "drawing") s = ok(startGame(s, "p1", ctx()));
  spectators.forEach((address, i) => (s = ok(watch(s, { id: `v${i + 1}`, nickname: `V${i + 1}`, address }, NOW, 4))));
  return s;
}

test("who may start watching", () => {
  const full = Array.from({ length: MAX_SPECTATORS_PER_ROOM }, (_, i) => `w${i}`);
  const cases: { name: string; state: RoomState; address: string; perAddress: number; refused: string | null; says?: RegExp }[] = [
    { name: "a lobby", state: room(2), address: "a", perAddress: 4, refused: null },
    { name: "a game under way", state: room(2, [], "drawing"), address: "a", perAddress: 4, refused: null },
    { name: "a full room of players", state: room(MAX_PLAYERS_PER_ROOM), address: "a", perAddress: 4, refused: null },
    { name: "the spectators' cap", state: room(2, full), address: "a", perAddress: 4, refused: "room_full", says: /20 people are watching/ },
    { name: "a network at its limit", state: room(2, ["a", "a"]), address: "a", perAddress: 2, refused: "room_full", says: /2 people from your network/ },
    { name: "another network beside it", state: room(2, ["a", "a"]), address: "b", perAddress: 2, refused: null },
    {
      name: "a network voted out",
      state: { ...room(2), kickedUntil: { a: NOW + 60_000 } },
      address: "a",
      perAddress: 4,
      refused: "removed",
      says: /voted out/,
    },
    { name: "a network whose cool-down is over", state: { ...room(2), kickedUntil: { a: NOW - 1 } }, address: "a", perAddress: 4, refused: null },
  ];
  for (const c of cases) {
    const error = watchRefusal(c.state, c.address, NOW, c.perAddress);
    assert.equal(error?.code ?? null, c.refused, c.name);
    if (c.says) assert.match(error!.message, c.says, c.name);
    const outcome = watch(c.state, { id: "new", nickname: "New", address: c.address }, NOW, c.perAddress);
    assert.equal(outcome.ok, c.refused === null, c.name);
  }
});

test("a spectator is listed apart from the players, with a name no one else has", () => {
  const s = ok(watch(room(2), { id: "v", nickname: "P1", address: "a" }, NOW, 4));
  const view = toRoomView(s, NOW);
  assert.deepEqual(view.players.map((p) => p.id), ["p1", "p2"]);
  assert.deepEqual(view.spectators, [{ id: "v", nickname: "P1 2", joinNext: false }]);
  assert.equal(placeOf(s, "v"), "spectator");
  assert.equal(placeOf(s, "p1"), "seat");
  assert.equal(placeOf(s, "nobody"), null);
  // A player joining later doesn't take the spectator's name either.
  const later = ok(join(s, { id: "p3", nickname: "P1 2" }));
  assert.equal(later.seats.at(-1)!.nickname, "P1 2 2");
  // Watching again is a no-op; a seat can't also watch.
  assert.deepEqual(ok(watch(s, { id: "v", nickname: "Other", address: "a" }, NOW, 4)).spectators, s.spectators);
  assert.equal(watch(s, { id: "p1", nickname: "P1", address: "n1" }, NOW, 4).ok, false);
});

test("leaving, disconnecting and resuming a place, seat or spectator's", () => {
  const s = room(2, ["a"], "drawing");
  const cases: { name: string; rule: (s: RoomState) => Outcome; spectators: string[]; seats: string[]; removed: string[] }[] = [
    { name: "a spectator disconnects: gone at once", rule: (s) => disconnectPlace(s, "v1", NOW), spectators: [], seats: ["p1", "p2"], removed: ["v1"] },
    { name: "a spectator leaves", rule: (s) => leavePlace(s, "v1"), spectators: [], seats: ["p1", "p2"], removed: ["v1"] },
    { name: "a spectator stops watching", rule: (s) => stopWatching(s, "v1"), spectators: [], seats: ["p1", "p2"], removed: ["v1"] },
    { name: "a spectator resumes: nothing changes", rule: (s) => resumePlace(s, "v1"), spectators: ["v1"], seats: ["p1", "p2"], removed: [] },
    { name: "a player disconnects: the seat is held", rule: (s) => disconnectPlace(s, "p2", NOW), spectators: ["v1"], seats: ["p1", "p2"], removed: [] },
    { name: "a player leaves", rule: (s) => leavePlace(s, "p2"), spectators: ["v1"], seats: ["p1"], removed: ["p2"] },
    { name: "a player resumes", rule: (s) => resumePlace(s, "p2"), spectators: ["v1"], seats: ["p1", "p2"], removed: [] },
    { name: "a hand-over finds the spectator's socket", rule: (s) => dropAbsentSpectators(s, new Set(["v1"])), spectators: ["v1"], seats: ["p1", "p2"], removed: [] },
    { name: "a hand-over misses it", rule: (s) => dropAbsentSpectators(s, new Set(["p1", "p2"])), spectators: [], seats: ["p1", "p2"], removed: ["v1"] },
  ];
  for (const c of cases) {
    const outcome = c.rule(s);
    const state = ok(outcome);
    assert.deepEqual((state.spectators ?? []).map((v) => v.id), c.spectators, c.name);
    assert.deepEqual(state.seats.map((p) => p.id), c.seats, c.name);
    assert.deepEqual(outcome.ok && outcome.effects.flatMap((e) => (e.type === "seatRemoved" ? [e.playerId] : [])), c.removed, c.name);
  }
  assert.equal(stopWatching(s, "p1").ok, false, "a player is not watching");
});

test("asking for a seat at the next game", () => {
  type Case = { name: string; state: RoomState; who: string; wants: boolean; error: string | null; seated: boolean; joinNext: boolean; seatsPerAddress?: number };
  const cases: Case[] = [
    { name: "mid-game: noted for the next game", state: room(2, ["a"], "drawing"), who: "v1", wants: true, error: null, seated: false, joinNext: true },
    { name: "mid-game: asks no more", state: room(2, ["a"], "drawing"), who: "v1", wants: false, error: null, seated: false, joinNext: false },
    { name: "in the lobby with a free seat: seated at once", state: room(2, ["a"]), who: "v1", wants: true, error: null, seated: true, joinNext: false },
    { name: "in a full lobby: refused, still watching", state: room(MAX_PLAYERS_PER_ROOM, ["a"]), who: "v1", wants: true, error: "room_full", seated: false, joinNext: false },
    { name: "a network at its seat limit", state: room(2, ["n1"]), who: "v1", wants: true, error: "room_full", seated: false, joinNext: false, seatsPerAddress: 1 },
    { name: "a player can't ask", state: room(2, ["a"]), who: "p2", wants: true, error: "bad_request", seated: true, joinNext: false },
    { name: "a stranger can't ask", state: room(2, ["a"]), who: "x", wants: true, error: "not_in_room", seated: false, joinNext: false },
  ];
  for (const c of cases) {
    const outcome = askToJoinNext(c.state, c.who, c.wants, NOW, c.seatsPerAddress ?? 4);
    assert.equal(outcome.ok ? null : outcome.error.code, c.error, c.name);
    const state = outcome.ok ? outcome.state : c.state;
    assert.equal(placeOf(state, c.who) === "seat", c.seated, c.name);
    assert.equal(state.spectators?.find((v) => v.id === c.who)?.joinNext ?? false, c.joinNext, c.name);
  }
  const seated = ok(askToJoinNext(room(2, ["a"]), "v1", true, NOW, 4));
  assert.deepEqual(seated.seats.at(-1), { id: "v1", nickname: "V1", connected: true, disconnectedAt: null, waiting: false, score: 0, kickVotes: [], address: "a" });
});

test("a rematch seats the spectators who asked while seats are free, in the order they came", () => {
  const cases: { name: string; players: number; askers: string[]; seatsPerAddress: number; seated: string[]; note: RegExp | null }[] = [
    { name: "room for both", players: 2, askers: ["a", "b"], seatsPerAddress: 4, seated: ["v1", "v2"], note: null },
    { name: "one seat left: the first asker", players: MAX_PLAYERS_PER_ROOM - 1, askers: ["a", "b"], seatsPerAddress: 4, seated: ["v1"], note: /All 12 seats are taken/ },
    { name: "a full room", players: MAX_PLAYERS_PER_ROOM, askers: ["a"], seatsPerAddress: 4, seated: [], note: /All 12 seats are taken/ },
    { name: "a network at its seat limit", players: 2, askers: ["n1"], seatsPerAddress: 1, seated: [], note: /players from your network/ },
  ];
  for (const c of cases) {
    let s = room(c.players, [...c.askers, "quiet"], "drawing");
    for (const v of c.askers.map((_, i) => `v${i + 1}`)) s = ok(askToJoinNext(s, v, true, NOW, c.seatsPerAddress));
    // The game plays out; watchers never score or dance.
    let t = NOW;
    while (s.phase !== "results") {
      t = s.phaseEndsAt!;
      s = ok(tick(s, ctx(t)));
      assert.ok(s.dance === null || s.dance?.steps.every((step) => step.playerId.startsWith("p")), c.name);
      assert.ok(s.rounds.every((r) => r.drawers.every((id) => id.startsWith("p"))), c.name);
    }
    const after = ok(seatAskers(rematch(s, "p1"), t, c.seatsPerAddress));
    assert.deepEqual(after.seats.map((p) => p.id).filter((id) => id.startsWith("v")), c.seated, c.name);
    const quiet = `v${c.askers.length + 1}`;
    const unseated = (after.spectators ?? []).filter((v) => v.id !== quiet);
    assert.equal(unseated.length, c.askers.length - c.seated.length, c.name);
    for (const v of unseated) {
      assert.equal(v.joinNext, false, `${c.name}: asks no more`);
      assert.match(v.note ?? "", c.note!, `${c.name}: told why`);
    }
    assert.ok(after.seats.every((p) => p.score === 0 && !p.waiting), c.name);
    assert.deepEqual(after.spectators?.find((v) => v.id === quiet), { id: quiet, nickname: "V" + quiet.slice(1), joinNext: false, address: "quiet" }, `${c.name}: the one who didn't ask keeps watching`);
  }
  // Only a lobby seats anyone: a refused rematch changes nothing.
  const playing = room(2, ["a"], "drawing");
  assert.equal(seatAskers(rematch(playing, "p1"), NOW, 4).ok, false);
});

test("a spectator can't draw or be voted out, and isn't counted in the votes", () => {
  const s = room(3, ["a"], "drawing");
  const roundId = s.rounds[0]!.id;
  assert.equal(checkDrawing(s, "v1", roundId, NOW)?.code, "not_in_room");
  assert.equal(voteKick(s, "v1", "p2", NOW).ok, false);
  assert.equal(voteKick(s, "p1", "v1", NOW).ok, false);
  assert.deepEqual(toRoomView(s, NOW).players.map((p) => p.kickVotesNeeded), [2, 2, 2]);
});

test("what the link offers", () => {
  const cases: [name: string, state: RoomState, choices: ReturnType<typeof entryChoices>][] = [
    ["a lobby with seats", room(2), { playing: false, seatFree: true, watchFree: true }],
    ["a full lobby", room(MAX_PLAYERS_PER_ROOM), { playing: false, seatFree: false, watchFree: true }],
    ["a game under way", room(2, [], "drawing"), { playing: true, seatFree: true, watchFree: true }],
    ["every watcher's place taken", room(2, Array.from({ length: MAX_SPECTATORS_PER_ROOM }, (_, i) => `w${i}`)), { playing: false, seatFree: true, watchFree: false }],
  ];
  for (const [name, state, choices] of cases) assert.deepEqual(entryChoices(state), choices, name);
});
