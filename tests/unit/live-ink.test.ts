// Live ink's pure parts, by tables: batch checks and overlaps (protocol/live-ink.ts), the drawer's
// sender, the watchers' strokes in progress and when their points are due (app/lib/live-ink.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { LIVE_BATCH_MS, MAX_LIVE_POINTS_PER_BATCH, liveBatchProblem, newPointsFrom, type Point } from "../../protocol";
import { LiveSender, addLive, dropLive, dueCount, noLive } from "../../app/lib/live-ink";

test("liveBatchProblem: well-formed batches pass, others get a sentence", () => {
  const id = "stroke-id-01";
  const cases: [unknown, RegExp | null][] = [
    [[id, 0, [0, 0, 0]], null],
    [[id, 497, [255, 255, 600000, 1, 2, 3, 4, 5, 6]], null],
    [[id, 0, Array.from({ length: MAX_LIVE_POINTS_PER_BATCH * 3 }, () => 1)], null],
    [[id, 0, Array.from({ length: (MAX_LIVE_POINTS_PER_BATCH + 1) * 3 }, () => 1)], /at most 120 points a batch/],
    [null, /\[strokeId, from, points\]/],
    [[id, 0], /\[strokeId, from, points\]/],
    [["bad id!", 0, [1, 2, 3]], /stroke id/],
    [[id, 1.5, [1, 2, 3]], /from/],
    [[id, 0, []], /triples/],
    [[id, 0, "1,2,3"], /triples/],
    [[id, 0, [1, 2, 3, 4]], /triples/],
    [[id, 0, [-1, 2, 3]], /x must be/],
    [[id, 0, [1, 2.5, 3]], /y must be/],
    [[id, 0, [1, 2, 600001]], /t out of range/],
    [[id, 498, [1, 2, 3, 4, 5, 6, 7, 8, 9]], /at most 500 points/],
  ];
  for (const [batch, expected] of cases) {
    const problem = liveBatchProblem(batch);
    if (expected === null) assert.equal(problem, null, JSON.stringify(batch));
    else assert.match(problem ?? "", expected, JSON.stringify(batch));
  }
});

test("newPointsFrom: continue, overlap, nothing new, gap", () => {
  const cases: [have: number, from: number, count: number, expected: number | null][] = [
    [0, 0, 3, 0],
    [3, 3, 2, 0],
    [5, 0, 8, 5], // re-sent whole after a reconnect: the new tail only
    [5, 2, 4, 3],
    [5, 0, 5, null], // nothing new
    [5, 1, 2, null],
    [5, 6, 1, null], // a gap: a lost batch
    [0, 1, 1, null],
  ];
  for (const [have, from, count, expected] of cases) assert.equal(newPointsFrom(have, from, count), expected, `${have} ${from} ${count}`);
});

const pts = (n: number, t0 = 0): Point[] => Array.from({ length: n }, (_, i) => [i, i, t0 + i * 10]);

test("LiveSender: sends each point once, under the ids the finished strokes get; restarts whole after a reconnect", () => {
  let n = 0;
  const sender = new LiveSender(() => `id-${++n}-abcdef`);
  assert.deepEqual(sender.batches([pts(2)]), [["id-1-abcdef", 0, [0, 0, 0, 1, 1, 10]]]);
  assert.deepEqual(sender.batches([pts(3)]), [["id-1-abcdef", 2, [2, 2, 20]]]);
  assert.deepEqual(sender.batches([pts(3)]), [], "nothing new, nothing sent");
  // A gesture cut in two (StrokeCapture): the second piece gets its own id.
  assert.deepEqual(sender.batches([pts(3), pts(1, 90)]), [["id-2-abcdef", 0, [0, 0, 90]]]);
  sender.restart();
  const again = sender.batches([pts(3), pts(1, 90)]);
  assert.deepEqual(again.map((b) => [b[0], b[1], b[2].length / 3]), [["id-1-abcdef", 0, 3], ["id-2-abcdef", 0, 1]]);
  assert.deepEqual(sender.finish(2), ["id-1-abcdef", "id-2-abcdef"]);
  assert.deepEqual(sender.batches([pts(1)]).map((b) => b[0]), ["id-3-abcdef"], "a new gesture, a new id");
  // Long stalls: a batch holds at most MAX_LIVE_POINTS_PER_BATCH points.
  sender.finish(1);
  const big = sender.batches([pts(MAX_LIVE_POINTS_PER_BATCH + 5)]);
  assert.deepEqual(big.map((b) => [b[1], b[2].length / 3]), [[0, MAX_LIVE_POINTS_PER_BATCH], [MAX_LIVE_POINTS_PER_BATCH, 5]]);
  // A pen lifted before any batch went out still names its strokes.
  assert.equal(new LiveSender(() => "fresh-id-0001").finish(1)[0], "fresh-id-0001");
});

test("addLive / dropLive: strokes in progress grow in order, skip gaps and finished strokes, and go", () => {
  let live = addLive(noLive, ["p1", "s1", 0, [1, 1, 100, 2, 2, 116]], 1000, false);
  live = addLive(live, ["p1", "s1", 2, [3, 3, 132]], 1010, false);
  assert.deepEqual(live.p1!.s1!.points, [[1, 1, 100], [2, 2, 116], [3, 3, 132]]);
  assert.equal(live.p1!.s1!.lag, 878, "the quickest batch sets the lag");
  assert.equal(addLive(live, ["p1", "s1", 5, [9, 9, 200]], 1020, false), live, "a gap changes nothing");
  assert.equal(addLive(live, ["p1", "s2", 0, [9, 9, 200]], 1020, true), live, "a finished stroke is not live");
  live = addLive(live, ["p2", "s3", 0, [5, 5, 50]], 1020, false);
  assert.deepEqual(Object.keys(live), ["p1", "p2"]);
  assert.equal(dropLive(live, "p1", ["nope"]), live);
  const dropped = dropLive(live, "p1", ["s1"]);
  assert.deepEqual(dropped.p1, {});
  assert.ok(dropped.p2!.s3);
});

test("dueCount: points play out at the pace they were drawn, at most one batch late", () => {
  const stroke = { points: pts(4, 100), lag: 1000 }; // t 100..130, seen 1000 ms after they were drawn
  const cases: [now: number, due: number][] = [
    [1100 + LIVE_BATCH_MS - 1, 0],
    [1100 + LIVE_BATCH_MS, 1],
    [1115 + LIVE_BATCH_MS, 2],
    [1130 + LIVE_BATCH_MS, 4],
    [99_999, 4],
  ];
  for (const [now, due] of cases) assert.equal(dueCount(stroke, now), due, `at ${now}`);
});
