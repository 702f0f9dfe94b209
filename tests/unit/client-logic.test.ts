// Pure client helpers of the pages (app/lib): clock offset, pointer -> points, drawings, outbox.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { MAX_STROKE_TIME_MS, strokeSchema, type Point, type Stroke } from "../../protocol";
import { addClockSample, clockOffset, countdownSeconds, remainingMs } from "../../app/lib/clock";
import { StrokeCapture, newStrokeId, toBoxPoint } from "../../app/lib/stroke-capture";
import { addStroke, fromSnapshot, mergePending, removeStrokes, strokesOf } from "../../app/lib/drawings";
import { Outbox } from "../../app/lib/outbox";
import { safeStore, type KeyValueStore } from "../../app/lib/storage";
import { describeError, isVersionMismatch } from "../../app/lib/messages";

const stroke = (id: string, ...points: Point[]): Stroke => ({ id, points: points.length ? points : [[1, 1, 0]] });

function memoryStore(failWrites = false): KeyValueStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => {
      if (failWrites) throw new Error("QuotaExceededError");
      data.set(k, v);
    },
    removeItem: (k) => void data.delete(k),
  };
}

describe("clock", () => {
  test("the offset is the least-delayed recent sample", () => {
    let samples: number[] = [];
    // server 1000 ms ahead; receipts delayed by 40, 5, 80 ms
    for (const delay of [40, 5, 80]) samples = addClockSample(samples, 11_000, 10_000 + delay);
    assert.equal(clockOffset(samples), 995);
  });
  test("keeps only the newest samples", () => {
    let samples: number[] = [];
    samples = addClockSample(samples, 10_000, 0); // a stale, huge offset
    for (let i = 0; i < 8; i++) samples = addClockSample(samples, 100, 0);
    assert.equal(clockOffset(samples), 100);
  });
  test("no samples means no offset", () => assert.equal(clockOffset([]), 0));
  for (const [deadline, offset, now, left] of [
    [20_000, 0, 5_000, 15_000],
    [20_000, 1_000, 5_000, 14_000],
    [20_000, -2_000, 5_000, 17_000],
    [20_000, 0, 25_000, 0],
  ] as const) {
    test(`remainingMs(${deadline}, ${offset}, ${now}) = ${left}`, () => assert.equal(remainingMs(deadline, offset, now), left));
  }
  for (const [ms, s] of [[0, 0], [1, 1], [999, 1], [1000, 1], [1001, 2], [19_999, 20]] as const) {
    test(`countdown shows ${s} at ${ms} ms`, () => assert.equal(countdownSeconds(ms), s));
  }
});

describe("toBoxPoint", () => {
  const box = { left: 100, top: 50, width: 400, height: 400 };
  for (const [x, y, t, want] of [
    [100, 50, 0, [0, 0, 0]],
    [500, 450, 10, [255, 255, 10]],
    [300, 250, 5.6, [128, 128, 6]],
    [50, 600, -3, [0, 255, 0]],
    [300, 250, MAX_STROKE_TIME_MS + 1, [128, 128, MAX_STROKE_TIME_MS]],
  ] as const) {
    test(`(${x}, ${y}, t=${t}) -> ${want}`, () => assert.deepEqual(toBoxPoint(x, y, box, t), want));
  }
});

describe("StrokeCapture", () => {
  test("drops points at the same spot and keeps t from going backwards", () => {
    const c = new StrokeCapture();
    assert.equal(c.add([1, 1, 0]), true);
    assert.equal(c.add([1, 1, 5]), false);
    assert.equal(c.add([2, 1, 10]), true);
    assert.equal(c.add([3, 1, 8]), true);
    assert.deepEqual(c.finish(), [[[1, 1, 0], [2, 1, 10], [3, 1, 10]]]);
  });
  test("splits a long gesture into strokes that join up", () => {
    const c = new StrokeCapture(3);
    for (let x = 0; x < 7; x++) c.add([x, 0, x]);
    const pieces = c.finish();
    assert.deepEqual(pieces.map((p) => p.map((q) => q[0])), [[0, 1, 2], [2, 3, 4], [4, 5, 6]]);
    assert.ok(pieces.every((p) => p.length <= 3));
  });
  test("a tap is a one-point stroke; finishing resets", () => {
    const c = new StrokeCapture();
    c.add([9, 9, 0]);
    assert.deepEqual(c.finish(), [[[9, 9, 0]]]);
    assert.deepEqual(c.finish(), []);
    assert.equal(c.lastPoint(), undefined);
  });
  test("pieces() shows the gesture without ending it", () => {
    const c = new StrokeCapture();
    c.add([1, 1, 0]);
    c.add([2, 2, 1]);
    assert.equal(c.pieces()[0]!.length, 2);
    assert.equal(c.finish()[0]!.length, 2);
  });
  test("captured strokes with fresh ids pass the protocol schema", () => {
    const c = new StrokeCapture();
    for (let i = 0; i < 1200; i++) c.add([i % 256, Math.floor(i / 256), i]);
    for (const points of c.finish()) assert.equal(strokeSchema.safeParse({ id: newStrokeId(), points }).success, true);
  });
  test("stroke ids are unique", () => assert.equal(new Set(Array.from({ length: 500 }, newStrokeId)).size, 500));
});

describe("drawings", () => {
  const d0 = fromSnapshot([
    { roundId: "r1", playerId: "a", strokes: [stroke("s1"), stroke("s2")] },
    { roundId: "r1", playerId: "b", strokes: [] },
  ]);
  test("snapshot is indexed by round and player", () => {
    assert.deepEqual(strokesOf(d0, "r1", "a").map((s) => s.id), ["s1", "s2"]);
    assert.deepEqual(strokesOf(d0, "r2", "a"), []);
    assert.deepEqual(strokesOf(d0, undefined, "a"), []);
  });
  test("adding a stroke twice keeps one", () => {
    const d1 = addStroke(d0, "r1", "b", stroke("x"));
    assert.equal(addStroke(d1, "r1", "b", stroke("x")), d1);
    assert.deepEqual(strokesOf(d1, "r1", "b").map((s) => s.id), ["x"]);
    assert.deepEqual(strokesOf(d0, "r1", "b"), [], "the old state is untouched");
  });
  test("removing unknown ids changes nothing", () => {
    assert.equal(removeStrokes(d0, "r1", "a", ["nope"]), d0);
    assert.deepEqual(strokesOf(removeStrokes(d0, "r1", "a", ["s1"]), "r1", "a").map((s) => s.id), ["s2"]);
  });
  test("pending strokes follow the stored ones, without repeats", () => {
    const known = [stroke("a"), stroke("b")];
    assert.equal(mergePending(known, []), known);
    assert.deepEqual(mergePending(known, [stroke("b"), stroke("c")]).map((s) => s.id), ["a", "b", "c"]);
  });
});

describe("Outbox", () => {
  test("persists entries and reads them back", () => {
    const mem = memoryStore();
    const a = new Outbox(safeStore(mem), "k");
    a.add({ roundId: "r1", stroke: stroke("s1") });
    a.add({ roundId: "r1", stroke: stroke("s1") });
    a.add({ roundId: "r2", stroke: stroke("s2") });
    const b = new Outbox(safeStore(mem), "k");
    assert.deepEqual(b.entries.map((e) => e.stroke.id), ["s1", "s2"]);
    b.removeRound("r1");
    assert.deepEqual(new Outbox(safeStore(mem), "k").entries.map((e) => e.stroke.id), ["s2"]);
    b.remove("s2");
    assert.equal(mem.data.has("k"), false, "an empty outbox leaves nothing stored");
  });
  test("garbage in storage is ignored", () => {
    for (const raw of ["{", "42", '[{"roundId":1}]', '{"a":1}']) {
      const mem = memoryStore();
      mem.data.set("k", raw);
      assert.deepEqual(new Outbox(safeStore(mem), "k").entries, []);
    }
  });
  test("works (unpersisted) when storage refuses writes", () => {
    const box = new Outbox(safeStore(memoryStore(true)), "k");
    box.add({ roundId: "r", stroke: stroke("s") });
    assert.equal(box.entries.length, 1);
    assert.equal(box.persisted, false);
  });
  test("works with no storage at all", () => {
    const box = new Outbox(safeStore(null), "k");
    box.add({ roundId: "r", stroke: stroke("s") });
    assert.equal(box.has("s"), true);
  });
});

describe("messages", () => {
  test("known codes get friendly words, others keep the server's", () => {
    assert.match(describeError({ code: "rate_limited", message: "x" }), /slow down/);
    // Every room_full says which limit was met (seats, seats per network, spectators): kept as said.
    const perNetwork = "This room already has 4 players from your network, the most one network may seat.";
    assert.equal(describeError({ code: "room_full", message: perNetwork }), perNetwork);
    assert.equal(describeError({ code: "wrong_phase", message: "That round is over." }), "That round is over.");
  });
  test("recognises the version refusal", () => {
    assert.equal(isVersionMismatch("Protocol version mismatch: this server speaks version 1. Please reload the page."), true);
    assert.equal(isVersionMismatch("websocket error"), false);
  });
});
