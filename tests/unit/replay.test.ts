// Stroke replays: the timeline (lead-in, speed, pauses cut short), the doodle at a moment, the
// same moment at another speed, and the replay saved as a GIF.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Point, Stroke } from "../../protocol";
import { LEAD_IN_MS, MAX_IDLE_MS, replayTimeline, retime, strokesAt, type ReplayOptions } from "../../app/lib/replay";
import { REPLAY_GIF_HOLD_MS, replayFrameTimes, replayGif } from "../../app/lib/replay-gif";
import { decodeGif } from "../helpers/gif-decode";

const stroke = (id: string, ...points: Point[]): Stroke => ({ id: `stroke-${id}`, points });
/** Times at 1x, no lead-in, no pause cap: the stored times from the first point on. */
const plain: ReplayOptions = { speed: 1, leadInMs: 0, maxIdleMs: Infinity };

describe("replayTimeline", () => {
  const cases: { name: string; strokes: Stroke[]; opts?: ReplayOptions; times: number[]; firsts: number[]; durationMs: number }[] = [
    { name: "an empty doodle lasts nothing", strokes: [], times: [], firsts: [], durationMs: 0 },
    { name: "one point: the lead-in, then the dot", strokes: [stroke("a", [9, 9, 5000])], times: [LEAD_IN_MS], firsts: [0], durationMs: LEAD_IN_MS },
    {
      name: "the wait before the first point is dropped; times are kept at 1x",
      strokes: [stroke("a", [0, 0, 3000], [10, 0, 3100], [20, 0, 3250])],
      opts: plain,
      times: [0, 100, 250],
      firsts: [0],
      durationMs: 250,
    },
    {
      name: "4x is a quarter of the time",
      strokes: [stroke("a", [0, 0, 0], [10, 0, 400]), stroke("b", [5, 5, 600], [9, 9, 1000])],
      opts: { ...plain, speed: 4 },
      times: [0, 100, 150, 250],
      firsts: [0, 2],
      durationMs: 250,
    },
    {
      name: "a long pause between strokes is cut to the idle cap, whatever the speed",
      strokes: [stroke("a", [0, 0, 1000], [10, 0, 1200]), stroke("b", [5, 5, 9200], [9, 9, 9600])],
      opts: { speed: 2, leadInMs: 0 },
      times: [0, 100, 100 + MAX_IDLE_MS, 300 + MAX_IDLE_MS],
      firsts: [0, 2],
      durationMs: 300 + MAX_IDLE_MS,
    },
    {
      name: "a pen held still mid-stroke is a pause too",
      strokes: [stroke("a", [0, 0, 0], [10, 0, 100], [20, 0, 5100])],
      opts: { speed: 1, leadInMs: 0 },
      times: [0, 100, 100 + MAX_IDLE_MS],
      firsts: [0],
      durationMs: 100 + MAX_IDLE_MS,
    },
    {
      name: "a time before its predecessor is drawn at the same moment (never rewinds)",
      strokes: [stroke("a", [0, 0, 500], [10, 0, 700]), stroke("b", [5, 5, 600], [9, 9, 800])],
      opts: plain,
      times: [0, 200, 200, 300],
      firsts: [0, 2],
      durationMs: 300,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const tl = replayTimeline(c.strokes, c.opts);
      assert.deepEqual(tl.times, c.times);
      assert.deepEqual(tl.firsts, c.firsts);
      assert.equal(tl.durationMs, c.durationMs);
    });
  }

  it("refuses a speed that never moves", () => {
    assert.throws(() => replayTimeline([], { speed: 0 }), /speed must be above 0/);
  });
});

describe("strokesAt", () => {
  const a = stroke("a", [0, 0, 0], [100, 0, 100], [100, 100, 300]);
  const b = stroke("b", [50, 50, 400]);
  const c = stroke("c", [0, 200, 500], [200, 200, 700]);
  const doodle = [a, b, c];
  const tl = replayTimeline(doodle, plain);
  const cases: { name: string; ms: number; shown: Stroke[] }[] = [
    { name: "before the start: blank", ms: -1, shown: [] },
    { name: "the first point alone, a dot", ms: 0, shown: [stroke("a", [0, 0, 0])] },
    { name: "a stroke cut in the middle of a segment, at the right point", ms: 50, shown: [stroke("a", [0, 0, 0], [50, 0, 50])] },
    { name: "cut exactly on a point: no extra point", ms: 100, shown: [stroke("a", [0, 0, 0], [100, 0, 100])] },
    { name: "a quarter of the way down the second segment", ms: 150, shown: [stroke("a", [0, 0, 0], [100, 0, 100], [100, 25, 150])] },
    { name: "pen up between strokes: the finished strokes only", ms: 350, shown: [a] },
    { name: "a one-point stroke appears whole", ms: 400, shown: [a, b] },
    { name: "the last stroke half drawn", ms: 600, shown: [a, b, stroke("c", [0, 200, 500], [100, 200, 600])] },
    { name: "the end is the whole doodle", ms: 700, shown: doodle },
    { name: "after the end, still the whole doodle", ms: 10_000, shown: doodle },
  ];
  for (const { name, ms, shown } of cases) {
    it(name, () => assert.deepEqual(strokesAt(tl, ms), shown));
  }

  it("at the end returns the doodle itself, so the last frame is drawn from the same strokes", () => {
    assert.equal(strokesAt(tl, tl.durationMs), doodle);
    const empty = replayTimeline([]);
    assert.deepEqual(strokesAt(empty, 0), []);
  });

  it("only ever grows as time goes on", () => {
    const long = replayTimeline(doodle);
    let before = 0;
    for (let ms = 0; ms <= long.durationMs; ms += 7) {
      const points = strokesAt(long, ms).reduce((n, s) => n + s.points.length, 0);
      assert.ok(points >= before, `${points} points at ${ms} ms, ${before} before`);
      before = points;
    }
  });
});

describe("retime", () => {
  const doodle = [stroke("a", [0, 0, 0], [100, 0, 200]), stroke("b", [0, 50, 5000], [100, 50, 5200])];
  const slow = replayTimeline(doodle, { speed: 1 }), fast = replayTimeline(doodle, { speed: 4 });
  const cases: { name: string; ms: number; expected: number }[] = [
    { name: "the start stays the start", ms: 0, expected: 0 },
    { name: "halfway through the lead-in", ms: LEAD_IN_MS / 2, expected: LEAD_IN_MS / 2 },
    { name: "halfway along the first stroke: halfway along it at 4x", ms: LEAD_IN_MS + 100, expected: LEAD_IN_MS + 25 },
    { name: "the end stays the end", ms: slow.durationMs, expected: fast.durationMs },
  ];
  for (const { name, ms, expected } of cases) {
    it(name, () => {
      assert.equal(retime(slow, fast, ms), expected);
      assert.deepEqual(strokesAt(fast, retime(slow, fast, ms)), strokesAt(slow, ms));
    });
  }
});

describe("replayGif", () => {
  const doodle = [
    stroke("a", [40, 40, 0], [200, 40, 300], [200, 200, 600]),
    stroke("b", [40, 200, 1500], [120, 120, 1800]),
  ];
  const inked = (indices: Uint8Array) => indices.reduce((n, v) => n + (v > 0 ? 1 : 0), 0);

  it("grows frame by frame from the blank page to the whole doodle, then holds it", () => {
    const gif = decodeGif(replayGif(doodle, 48, { speed: 2, stepMs: 40 }));
    const tl = replayTimeline(doodle, { speed: 2 });
    assert.deepEqual([gif.width, gif.height, gif.loops], [48, 48, 0]);
    assert.equal(gif.frames.length, replayFrameTimes(tl.durationMs, 40).length);
    const ink = gif.frames.map((f) => inked(f.indices));
    assert.equal(ink[0], 0, "the first frame is blank");
    ink.slice(1).forEach((n, i) => assert.ok(n >= ink[i]!, `frame ${i + 1} has less ink (${n}) than the one before (${ink[i]})`));
    assert.ok(ink.filter((n, i) => n > (ink[i - 1] ?? 0)).length > 5, "the ink arrives over many frames");
    const whole = decodeGif(replayGif(doodle, 48, { speed: 2, stepMs: 1_000_000 }));
    assert.deepEqual(gif.frames.at(-1)!.indices, whole.frames.at(-1)!.indices, "the last frame is the whole doodle");
    assert.equal(gif.frames.at(-1)!.delayCs, REPLAY_GIF_HOLD_MS / 10);
    const middle = gif.frames[Math.floor(gif.frames.length / 2)]!;
    assert.ok(inked(middle.indices) > 0 && inked(middle.indices) < ink.at(-1)!, "halfway, part of the doodle");
  });

  it("an empty doodle is one blank frame", () => {
    const gif = decodeGif(replayGif([], 16));
    assert.equal(gif.frames.length, 1);
    assert.equal(inked(gif.frames[0]!.indices), 0);
  });
});
