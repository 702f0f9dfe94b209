import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  GALLERY_TIMING,
  checkDrawing,
  createRoom,
  disconnect,
  galleryMs,
  join,
  leave,
  nextDeadline,
  rematch,
  resume,
  skipGallery,
  startGame,
  tick,
  toRoomView,
  updateSettings,
  type Context,
  type Effect,
  type GalleryTiming,
  type Outcome,
  type RoomState,
} from "../../game/room";
import type { DancePlan } from "../../protocol";
import { scoreDoodles } from "../../game/scoring";
import { seededRandom } from "../../common/random";
import { GALLERY_MS, LATE_STROKE_GRACE_MS, MAX_PLAYERS_PER_ROOM, SEAT_GRACE_MS } from "../../protocol";

/** A fake clock and id source: tests move `now` by hand. */
function harness(seed = 1) {
  let n = 0;
  const clock = { now: 1_000_000 };
  const strokeCounts: Record<string, number> = {};
  const ctx = (): Context => ({
    now: clock.now,
    newId: () => `id${++n}`,
    random: seededRandom(seed),
    words: [
      { word: "cat", weight: 3 },
      { word: "dog", weight: 2 },
      { word: "sun", weight: 1 },
    ],
    scoreRound: (round) => scoreDoodles(round, strokeCounts),
  });
  return { clock, ctx, strokeCounts };
}

function ok(outcome: Outcome): { state: RoomState; effects: Effect[] } {
  if (!outcome.ok) assert.fail(`expected ok, got ${outcome.error.code}: ${outcome.error.message}`);
  return outcome;
}

function allAway(s: RoomState, ids: string[]): RoomState {
  return ids.reduce((st, id) => ok(disconnect(st, id, 0)).state, s);
}

function roomWith(names: string[]): RoomState {
  return names.reduce((s, name) => ok(join(s, { id: name, nickname: name })).state, createRoom("ABCDEF"));
}

describe("joining and the host", () => {
  test("the first player in is the host; later players are not", () => {
    const s = roomWith(["ann", "bob", "cy"]);
    assert.equal(s.hostId, "ann");
    assert.deepEqual(
      toRoomView(s, 0).players.map((p) => [p.nickname, p.isHost]),
      [["ann", true], ["bob", false], ["cy", false]],
    );
  });

  test("a duplicate nickname gets a number", () => {
    const s = ok(join(roomWith(["sam"]), { id: "x", nickname: "SAM" })).state;
    assert.deepEqual(s.seats.map((p) => p.nickname), ["sam", "SAM 2"]);
  });

  test(`the room takes at most ${MAX_PLAYERS_PER_ROOM} players`, () => {
    const full = roomWith(Array.from({ length: MAX_PLAYERS_PER_ROOM }, (_, i) => `p${i}`));
    const outcome = join(full, { id: "late", nickname: "late" });
    assert.equal(outcome.ok, false);
    assert.equal(!outcome.ok && outcome.error.code, "room_full");
  });

  const handOver: { name: string; act: (s: RoomState) => Outcome; host: string | null }[] = [
    { name: "host leaves: next in join order", act: (s) => leave(s, "ann"), host: "bob" },
    { name: "host disconnects: next connected", act: (s) => disconnect(s, "ann", 0), host: "bob" },
    {
      name: "host and next both disconnect: third",
      act: (s) => disconnect(ok(disconnect(s, "ann", 0)).state, "bob", 0),
      host: "cy",
    },
    { name: "a non-host leaves: host stays", act: (s) => leave(s, "bob"), host: "ann" },
    {
      name: "everyone disconnects: the last one connected stays host",
      act: (s) => disconnect(allAway(s, ["ann", "bob"]), "cy", 0),
      host: "cy",
    },
    { name: "all gone then bob returns: bob hosts", act: (s) => resume(allAway(s, ["ann", "bob", "cy"]), "bob"), host: "bob" },
    { name: "the old host returns: does not take over again", act: (s) => resume(ok(disconnect(s, "ann", 0)).state, "ann"), host: "bob" },
  ];
  for (const c of handOver) {
    test(c.name, () => {
      assert.equal(ok(c.act(roomWith(["ann", "bob", "cy"]))).state.hostId, c.host);
    });
  }
});

describe("host-only actions", () => {
  const cases: { name: string; act: (s: RoomState, h: ReturnType<typeof harness>) => Outcome; code: string }[] = [
    { name: "settings by a guest", act: (s) => updateSettings(s, "bob", { rounds: 2, roundSeconds: 30 }), code: "forbidden" },
    { name: "start by a guest", act: (s, h) => startGame(s, "bob", h.ctx()), code: "forbidden" },
    { name: "rematch before the end", act: (s) => rematch(s, "ann"), code: "wrong_phase" },
    {
      name: "settings after the start",
      act: (s, h) => updateSettings(ok(startGame(s, "ann", h.ctx())).state, "ann", { rounds: 2, roundSeconds: 30 }),
      code: "wrong_phase",
    },
    {
      name: "start twice",
      act: (s, h) => startGame(ok(startGame(s, "ann", h.ctx())).state, "ann", h.ctx()),
      code: "wrong_phase",
    },
  ];
  for (const c of cases) {
    test(`${c.name} is refused with ${c.code}`, () => {
      const outcome = c.act(roomWith(["ann", "bob"]), harness());
      assert.equal(outcome.ok, false);
      assert.equal(!outcome.ok && outcome.error.code, c.code);
    });
  }

  test("the host's settings are applied", () => {
    const s = ok(updateSettings(roomWith(["ann"]), "ann", { rounds: 2, roundSeconds: 45 })).state;
    assert.deepEqual(s.settings, { rounds: 2, roundSeconds: 45 });
  });
});

describe("the round state machine, on a fake clock", () => {
  test("a 2-round game runs lobby → drawing → gallery → drawing → gallery → results", () => {
    const h = harness();
    let s = ok(updateSettings(roomWith(["ann", "bob"]), "ann", { rounds: 2, roundSeconds: 20 })).state;
    const started = ok(startGame(s, "ann", h.ctx()));
    s = started.state;
    assert.equal(s.phase, "drawing");
    assert.equal(s.phaseEndsAt, h.clock.now + 20_000);
    assert.deepEqual(started.effects.map((e) => e.type), ["roundStarted"]);

    const steps: { advance: number; phase: string; effects: string[]; rounds: number }[] = [
      { advance: 19_999, phase: "drawing", effects: [], rounds: 1 },
      { advance: 1, phase: "gallery", effects: ["roundEnded"], rounds: 1 },
      { advance: GALLERY_MS - 1, phase: "gallery", effects: [], rounds: 1 },
      { advance: 1, phase: "drawing", effects: ["roundStarted"], rounds: 2 },
      { advance: 20_000, phase: "gallery", effects: ["roundEnded"], rounds: 2 },
      { advance: GALLERY_MS, phase: "results", effects: ["gameEnded"], rounds: 2 },
      { advance: 60_000, phase: "results", effects: [], rounds: 2 },
    ];
    for (const step of steps) {
      h.clock.now += step.advance;
      const out = ok(tick(s, h.ctx()));
      s = out.state;
      assert.equal(s.phase, step.phase, `after +${step.advance}`);
      assert.deepEqual(out.effects.map((e) => e.type), step.effects);
      assert.equal(s.rounds.length, step.rounds);
    }
    assert.notEqual(s.rounds[0]!.word, s.rounds[1]!.word, "a word does not repeat within a game");
  });

  test("the same seed picks the same words", () => {
    const words = (seed: number) => {
      const h = harness(seed);
      return ok(startGame(roomWith(["ann"]), "ann", h.ctx())).state.rounds[0]!.word;
    };
    assert.equal(words(7), words(7));
  });

  test("nextDeadline is the phase end, or an earlier seat expiry", () => {
    const h = harness();
    let s = ok(startGame(roomWith(["ann", "bob"]), "ann", h.ctx())).state;
    assert.equal(nextDeadline(s), h.clock.now + 20_000);
    s = ok(disconnect(s, "bob", h.clock.now)).state;
    assert.equal(nextDeadline(s), h.clock.now + 20_000);
    assert.equal(nextDeadline(createRoom("X")), null);
    const lobby = ok(disconnect(roomWith(["ann"]), "ann", 5)).state;
    assert.equal(nextDeadline(lobby), 5 + SEAT_GRACE_MS);
  });

  test("scores come from the scoring hook at round end", () => {
    const h = harness();
    let s = ok(startGame(roomWith(["ann", "bob"]), "ann", h.ctx())).state;
    h.strokeCounts.ann = 3;
    h.clock.now += 20_000;
    s = ok(tick(s, h.ctx())).state;
    assert.deepEqual(toRoomView(s, 0).players.map((p) => p.score), [10, 0]);
  });

  test("rematch keeps the room and its players, resets scores", () => {
    const h = harness();
    let s = ok(updateSettings(roomWith(["ann", "bob"]), "ann", { rounds: 1, roundSeconds: 10 })).state;
    s = ok(startGame(s, "ann", h.ctx())).state;
    h.strokeCounts.ann = 1;
    h.clock.now += 10_000;
    s = ok(tick(s, h.ctx())).state;
    h.clock.now += GALLERY_MS;
    s = ok(tick(s, h.ctx())).state;
    assert.equal(s.phase, "results");
    s = ok(rematch(s, "ann")).state;
    assert.equal(s.phase, "lobby");
    assert.equal(s.gameNumber, 2);
    assert.deepEqual(s.rounds, []);
    assert.deepEqual(s.seats.map((p) => [p.id, p.score]), [["ann", 0], ["bob", 0]]);
  });
});

describe("the gallery lasts until every doodle has danced", () => {
  /** Today's beat, written out so the table reads in seconds: 2 s a doodle, 1 s lead-in, 8 s at least. */
  const beat: GalleryTiming = { holdMs: 600, morphMs: 1400, leadMs: 1000, minMs: 8000 };
  const slow: GalleryTiming = { ...beat, holdMs: 1000, morphMs: 2000 };
  const plan = (n: number): DancePlan | null =>
    n === 0 ? null : { id: "r", startsAt: 0, steps: Array.from({ length: n }, (_, i) => ({ roundId: "r", playerId: `p${i}` })) };
  const cases: { players: number; timing: GalleryTiming; ms: number; why: string }[] = [
    { players: 0, timing: beat, ms: 8000, why: "nothing dances: the minimum" },
    { players: 1, timing: beat, ms: 8000, why: "one doodle stands still: the minimum" },
    { players: 2, timing: beat, ms: 8000, why: "1 s + 2 × 2 s is under the minimum" },
    { players: 8, timing: beat, ms: 17_000, why: "1 s + 8 × 2 s" },
    { players: 12, timing: beat, ms: 25_000, why: "a full room: 1 s + 12 × 2 s" },
    { players: 12, timing: slow, ms: 37_000, why: "a slower beat: no maximum cuts the full room short" },
  ];
  for (const c of cases) {
    test(`${c.players} players, ${c.timing.holdMs + c.timing.morphMs} ms a doodle: ${c.ms} ms (${c.why})`, () => {
      assert.equal(galleryMs(plan(c.players), c.timing), c.ms);
    });
  }

  test("with the game's own beat every doodle is held and morphed once, the last back into the first", () => {
    const { holdMs, morphMs, leadMs, minMs } = GALLERY_TIMING;
    for (let n = 1; n <= MAX_PLAYERS_PER_ROOM; n++) {
      const ms = galleryMs(plan(n));
      assert.ok(ms >= leadMs + n * (holdMs + morphMs), `${n} players`);
      assert.ok(ms >= minMs, `${n} players`);
    }
  });
});

describe("the host may end the gallery early", () => {
  /** ann hosts, bob plays; the first round has just ended. */
  function inGallery(rounds: number) {
    const h = harness();
    let s = ok(updateSettings(roomWith(["ann", "bob"]), "ann", { rounds, roundSeconds: 10 })).state;
    s = ok(startGame(s, "ann", h.ctx())).state;
    h.clock.now += 10_000;
    s = ok(tick(s, h.ctx())).state;
    assert.equal(s.phase, "gallery");
    return { h, s };
  }
  const cases: { name: string; rounds: number; player: string; before?: "lobby" | "drawing" | "results"; phase?: string; effects?: string[]; code?: string }[] = [
    { name: "the host, rounds to go", rounds: 2, player: "ann", phase: "drawing", effects: ["roundStarted"] },
    { name: "the host, after the last round", rounds: 1, player: "ann", phase: "results", effects: ["gameEnded"] },
    { name: "another player", rounds: 2, player: "bob", code: "forbidden" },
    { name: "someone not in the room", rounds: 2, player: "eve", code: "forbidden" },
    { name: "the host, in the lobby", rounds: 2, player: "ann", before: "lobby", code: "wrong_phase" },
    { name: "the host, while drawing", rounds: 2, player: "ann", before: "drawing", code: "wrong_phase" },
    { name: "the host, on the results", rounds: 1, player: "ann", before: "results", code: "wrong_phase" },
  ];
  for (const c of cases) {
    test(`${c.name}: ${c.code ?? `moves on to ${c.phase}`}`, () => {
      const { h, s: gallery } = inGallery(c.rounds);
      let s = gallery;
      if (c.before === "lobby") s = roomWith(["ann", "bob"]);
      else if (c.before) s = ok(skipGallery(s, "ann", h.ctx())).state;
      if (c.before) assert.equal(s.phase, c.before);
      const out = skipGallery(s, c.player, h.ctx());
      if (c.code) {
        assert.equal(!out.ok && out.error.code, c.code);
        return;
      }
      const moved = ok(out);
      assert.equal(moved.state.phase, c.phase);
      assert.deepEqual(moved.effects.map((e) => e.type), c.effects);
      assert.equal(moved.state.phaseEndsAt, c.phase === "drawing" ? h.clock.now + 10_000 : null, "starts now, not at the gallery's end");
    });
  }

  test("the refusals say who may move on and when", () => {
    const { h, s } = inGallery(2);
    const bob = skipGallery(s, "bob", h.ctx());
    assert.equal(!bob.ok && bob.error.message, "Only the host can move on from the gallery.");
    const drawing = ok(skipGallery(s, "ann", h.ctx())).state;
    const early = skipGallery(drawing, "ann", h.ctx());
    assert.equal(!early.ok && early.error.message, "Moving on only works in the gallery between rounds.");
  });
});

describe("seats survive disconnects for the grace period", () => {
  const cases = [
    { away: SEAT_GRACE_MS - 1, kept: true },
    { away: SEAT_GRACE_MS, kept: false },
    { away: 2 * 60 * 1000, kept: true },
  ];
  for (const c of cases) {
    test(`away ${c.away} ms: seat ${c.kept ? "kept" : "freed"}`, () => {
      const h = harness();
      let s = ok(disconnect(roomWith(["ann", "bob"]), "bob", h.clock.now)).state;
      h.clock.now += c.away;
      const out = ok(tick(s, h.ctx()));
      s = out.state;
      assert.equal(s.seats.some((p) => p.id === "bob"), c.kept);
      assert.equal(out.effects.some((e) => e.type === "seatRemoved"), !c.kept);
    });
  }

  test("a returning player gets the same seat and score back", () => {
    const h = harness();
    let s = ok(startGame(roomWith(["ann", "bob"]), "ann", h.ctx())).state;
    s = ok(disconnect(s, "bob", h.clock.now)).state;
    s = ok(resume(s, "bob")).state;
    const bob = s.seats.find((p) => p.id === "bob")!;
    assert.equal(bob.connected, true);
    assert.equal(s.rounds[0]!.drawers.includes("bob"), true);
  });

  test("a late joiner waits and draws from the next round", () => {
    const h = harness();
    let s = ok(updateSettings(roomWith(["ann"]), "ann", { rounds: 2, roundSeconds: 10 })).state;
    s = ok(startGame(s, "ann", h.ctx())).state;
    s = ok(join(s, { id: "late", nickname: "late" })).state;
    assert.equal(s.seats.find((p) => p.id === "late")!.waiting, true);
    assert.equal(checkDrawing(s, "late", s.rounds[0]!.id, h.clock.now)?.code, "forbidden");
    h.clock.now += 10_000;
    s = ok(tick(s, h.ctx())).state;
    h.clock.now += GALLERY_MS;
    s = ok(tick(s, h.ctx())).state;
    assert.equal(s.seats.find((p) => p.id === "late")!.waiting, false);
    assert.equal(checkDrawing(s, "late", s.rounds[1]!.id, h.clock.now), null);
  });
});

describe("who may draw, and when", () => {
  const h = harness();
  const base = ok(startGame(roomWith(["ann", "bob"]), "ann", h.ctx())).state;
  const roundId = base.rounds[0]!.id;
  const start = h.clock.now;
  const ended = ok(tick(base, { ...h.ctx(), now: start + 20_000 })).state;
  const cases: { name: string; state: RoomState; player: string; round: string; now: number; lastMs?: number; code: string | null }[] = [
    { name: "a drawer during the round", state: base, player: "bob", round: roundId, now: start + 5, code: null },
    { name: "a stranger", state: base, player: "eve", round: roundId, now: start, code: "not_in_room" },
    { name: "an unknown round", state: base, player: "bob", round: "nope", now: start, code: "not_found" },
    { name: "a re-send just after the round", state: ended, player: "bob", round: roundId, now: start + 20_000 + 1000, code: null },
    {
      name: "a re-send after the grace",
      state: ended,
      player: "bob",
      round: roundId,
      now: start + 20_000 + LATE_STROKE_GRACE_MS + 1,
      code: "wrong_phase",
    },
    { name: "stroke times past the round", state: base, player: "bob", round: roundId, now: start, lastMs: 23_000, code: "bad_request" },
  ];
  for (const c of cases) {
    test(`${c.name}: ${c.code ?? "allowed"}`, () => {
      assert.equal(checkDrawing(c.state, c.player, c.round, c.now, c.lastMs)?.code ?? null, c.code);
    });
  }
});
