import { test } from "node:test";
import assert from "node:assert/strict";
import { frameBatcher } from "../../app/lib/frame-batcher";

/** A hand-cranked frame clock. */
function frames() {
  const due: (() => void)[] = [];
  return { schedule: (run: () => void) => void due.push(run), tick: () => due.splice(0).forEach((run) => run()), pending: () => due.length };
}

test("a burst of events becomes one update per frame, in arrival order", () => {
  const clock = frames();
  const applied: number[][] = [];
  const batcher = frameBatcher<number>((items) => applied.push(items), clock.schedule);
  for (let i = 0; i < 500; i++) batcher.push(i);
  assert.equal(clock.pending(), 1, "one frame asked for, not 500");
  assert.equal(applied.length, 0, "nothing applied before the frame");
  clock.tick();
  assert.deepEqual(applied, [Array.from({ length: 500 }, (_, i) => i)]);
  clock.tick();
  assert.equal(applied.length, 1, "an empty frame applies nothing");
});

test("flush applies what is queued at once (before a removal or snapshot) and the next push schedules again", () => {
  const clock = frames();
  const applied: string[][] = [];
  const batcher = frameBatcher<string>((items) => applied.push(items), clock.schedule);
  batcher.push("a");
  batcher.push("b");
  batcher.flush();
  assert.deepEqual(applied, [["a", "b"]]);
  clock.tick(); // the frame asked for earlier finds nothing left
  assert.deepEqual(applied, [["a", "b"]]);
  batcher.push("c");
  assert.equal(clock.pending(), 1);
  clock.tick();
  assert.deepEqual(applied, [["a", "b"], ["c"]]);
});
