import { test } from "node:test";
import assert from "node:assert/strict";
import { packStroke, strokeJson, unpackStroke, firstPointMs } from "../../server/realtime/packed-strokes";
import { MAX_STROKE_TIME_MS, type Stroke } from "../../protocol";

const cases: { name: string; stroke: Stroke }[] = [
  { name: "one point at the origin", stroke: { id: "abcdefgh", points: [[0, 0, 0]] } },
  { name: "corners and the longest time", stroke: { id: "corner_-1", points: [[255, 0, 5], [0, 255, 9], [255, 255, MAX_STROKE_TIME_MS]] } },
  { name: "a scribble", stroke: { id: "s".repeat(64), points: Array.from({ length: 500 }, (_, i) => [i % 256, (i * 7) % 256, i * 16] as [number, number, number]) } },
];

test("packed strokes give back the same points, and the same JSON as the stroke itself", () => {
  for (const { name, stroke } of cases) {
    const packed = packStroke(stroke);
    assert.deepEqual(unpackStroke(packed), stroke, name);
    assert.equal(strokeJson(packed), JSON.stringify(stroke), name);
    assert.equal(firstPointMs(packed), stroke.points[0]![2], name);
    assert.equal(packed.data.byteLength, stroke.points.length * 8, `${name}: 8 bytes a point`);
  }
});
