import { test } from "node:test";
import assert from "node:assert/strict";
import { clientSchemas, describeIssues, MAX_POINTS_PER_STROKE, MAX_STROKE_TIME_MS } from "../../protocol";
import { keyedTokenBuckets, tokenBucket } from "../../server/realtime/rate-limit";

const stroke = (points: unknown) => ({ roundId: "r1", stroke: { id: "abcdefgh", points } });

const strokeCases: { name: string; payload: unknown; valid: boolean }[] = [
  { name: "one point", payload: stroke([[0, 0, 0]]), valid: true },
  { name: "corners of the box", payload: stroke([[0, 0, 0], [255, 255, 5]]), valid: true },
  { name: "the longest stroke", payload: stroke(Array.from({ length: MAX_POINTS_PER_STROKE }, (_, i) => [1, 1, i])), valid: true },
  { name: "no points", payload: stroke([]), valid: false },
  { name: "one point too many", payload: stroke(Array.from({ length: MAX_POINTS_PER_STROKE + 1 }, () => [1, 1, 1])), valid: false },
  { name: "x = 256", payload: stroke([[256, 0, 0]]), valid: false },
  { name: "negative y", payload: stroke([[0, -1, 0]]), valid: false },
  { name: "fractional t", payload: stroke([[0, 0, 0.5]]), valid: false },
  { name: "t past the cap", payload: stroke([[0, 0, MAX_STROKE_TIME_MS + 1]]), valid: false },
  { name: "a point of two numbers", payload: stroke([[0, 0]]), valid: false },
  { name: "strings for numbers", payload: stroke([["1", "2", "3"]]), valid: false },
  { name: "NaN", payload: stroke([[NaN, 0, 0]]), valid: false },
  { name: "points not an array", payload: stroke({ 0: [1, 1, 1] }), valid: false },
  { name: "a short stroke id", payload: { roundId: "r1", stroke: { id: "abc", points: [[1, 1, 1]] } }, valid: false },
];
for (const c of strokeCases) {
  test(`stroke:add with ${c.name} is ${c.valid ? "accepted" : "refused"}`, () => {
    const parsed = clientSchemas["stroke:add"].safeParse(c.payload);
    assert.equal(parsed.success, c.valid, parsed.success ? "" : describeIssues(parsed.error));
  });
}

const nicknameCases: { input: string; output: string | null }[] = [
  { input: "Ann", output: "Ann" },
  { input: "  Ann   Lee ", output: "Ann Lee" },
  { input: "A\u0000nn\u0007", output: "Ann" },
  { input: "   ", output: null },
  { input: "x".repeat(21), output: null },
  { input: "<b>bold</b>", output: "<b>bold</b>" }, // React escapes it when shown
];
for (const c of nicknameCases) {
  test(`nickname ${JSON.stringify(c.input)} → ${JSON.stringify(c.output)}`, () => {
    const parsed = clientSchemas["room:create"].safeParse({ nickname: c.input });
    assert.equal(parsed.success ? parsed.data.nickname : null, c.output);
  });
}

test("room codes are trimmed and upper-cased, and must use the code alphabet", () => {
  const join = clientSchemas["room:join"];
  assert.equal(join.parse({ code: " k7qx2m ", nickname: "a" }).code, "K7QX2M");
  assert.equal(join.safeParse({ code: "K7QX0M", nickname: "a" }).success, false, "0 is not in the alphabet");
  assert.equal(join.safeParse({ code: "K7QX2", nickname: "a" }).success, false);
});

test("the token bucket lets a burst through, then refills at its rate", () => {
  const bucket = tokenBucket(10, 3, 0);
  assert.deepEqual([0, 0, 0, 0].map((t) => bucket.take(t)), [true, true, true, false]);
  assert.equal(bucket.take(50), false, "half a token after 50 ms");
  assert.equal(bucket.take(100), true, "one token after 100 ms");
  assert.deepEqual([10_000, 10_000, 10_000, 10_000].map((t) => bucket.take(t)), [true, true, true, false], "never more than the burst");
});

test("keyed buckets: one allowance per key, peeking takes nothing, old keys are forgotten", () => {
  const buckets = keyedTokenBuckets(1, 2, 3);
  assert.equal(buckets.has("a", 0), true);
  assert.deepEqual([buckets.take("a", 0), buckets.take("a", 0), buckets.take("a", 0)], [true, true, false]);
  assert.equal(buckets.has("a", 0), false);
  assert.equal(buckets.take("b", 0), true, "another key has its own allowance");
  for (const key of ["c", "d", "e"]) buckets.take(key, 0);
  assert.equal(buckets.size, 3, "at most maxKeys remembered");
  assert.equal(buckets.take("a", 0), true, "a forgotten key starts afresh");
});
