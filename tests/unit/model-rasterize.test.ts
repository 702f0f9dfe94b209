import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { drawingFromPoints, normalizeDrawing, rasterize, type Drawing } from "../../model/rasterize";
import { augmentDrawing, BatchSampler, splitHeldOut, type Sample } from "../../model/dataset";
import { seededRandom } from "../../common/random";

const SIZE = 28;
// Line radius in pixels at 28x28: 8 units of the 256 box plus 48 units of padding and line width.
const R = (8 * SIZE) / 304;

function at(img: Float32Array, row: number, col: number): number {
  return img[row * SIZE + col] as number;
}

function inked(img: Float32Array): [number, number][] {
  const out: [number, number][] = [];
  img.forEach((v, i) => { if (v > 0) out.push([Math.floor(i / SIZE), i % SIZE]); });
  return out;
}

describe("rasterize", () => {
  test("an empty drawing is blank", () => {
    assert.ok(rasterize([], SIZE).every((v) => v === 0));
    assert.ok(rasterize([[[], []]], SIZE).every((v) => v === 0));
  });

  test("a single point is a dot of four equal pixels at the centre", () => {
    const img = rasterize([[[0], [0]]], SIZE);
    // Centre (14, 14) lies on the corner of four pixels, each at distance sqrt(0.5) from it.
    const expected = R + 0.5 - Math.SQRT1_2;
    assert.deepEqual(inked(img), [[13, 13], [13, 14], [14, 13], [14, 14]]);
    for (const [r, c] of inked(img)) assert.ok(Math.abs(at(img, r, c) - expected) < 1e-6);
  });

  test("a full-width horizontal line is two rows of ink at the line's coverage, centred", () => {
    const img = rasterize([[[0, 255], [0, 0]]], SIZE);
    const rows = new Set(inked(img).map(([r]) => r));
    assert.deepEqual([...rows].sort((a, b) => a - b), [13, 14]);
    for (let c = 4; c < 24; c++) {
      assert.ok(Math.abs(at(img, 13, c) - R) < 1e-6, `col ${c}`);
      assert.equal(at(img, 13, c), at(img, 14, c));
    }
    // The 256 box maps onto columns 2.26..25.74 (padding 16 + half a line width of 304 units).
    const cols = inked(img).map(([, c]) => c);
    assert.equal(Math.min(...cols), 1);
    assert.equal(Math.max(...cols), 26);
  });

  test("ink values stay in 0..1 and thick overlapping strokes saturate at 1", () => {
    const scribble: Drawing = [[[0, 255, 0, 255, 0], [0, 10, 20, 30, 40]], [[0, 255], [40, 0]]];
    const img = rasterize(scribble, 64);
    assert.ok(img.every((v) => v >= 0 && v <= 1));
    assert.ok(Math.max(...img) === 1);
  });

  test("position and scale of the input do not matter (dataset normalisation)", () => {
    const d: Drawing = [[[10, 60, 35], [10, 10, 50]], [[20], [30]]];
    const moved: Drawing = d.map(([xs, ys]) => [xs.map((x) => x * 3 + 7), ys.map((y) => y * 3 + 1)]);
    assert.deepEqual(rasterize(moved, SIZE), rasterize(d, SIZE));
  });

  test("normalizeDrawing aligns to the top-left and spans 0..255 on the larger side", () => {
    const n = normalizeDrawing([[[10, 30], [50, 60]]]);
    assert.deepEqual(n, [[[0, 255], [0, 127.5]]]);
  });

  test("a mirrored drawing gives the mirrored bitmap", () => {
    const d: Drawing = [[[0, 100, 200, 255], [0, 200, 50, 255]]];
    const m: Drawing = d.map(([xs, ys]) => [xs.map((x) => 255 - x), ys]);
    const a = rasterize(d, SIZE), b = rasterize(m, SIZE);
    for (let r = 0; r < SIZE; r++) for (let c = 0; c < SIZE; c++) assert.ok(Math.abs(at(a, r, c) - at(b, r, SIZE - 1 - c)) < 1e-5);
  });

  test("protocol points convert to the dataset's stroke format", () => {
    const strokes = [{ points: [[1, 2, 0], [3, 4, 16]] }, { points: [] }, { points: [[5, 6, 40]] }];
    assert.deepEqual(drawingFromPoints(strokes), [[[1, 3], [2, 4]], [[5], [6]]]);
  });
});

describe("dataset", () => {
  const samples: Sample[] = ["a", "b"].flatMap((category) =>
    Array.from({ length: 25 }, (_, i) => ({ category, key: `${category}${i}`, recognized: true, drawing: [[[0, i], [0, i]]] as Drawing })));

  test("held-out split: ceil(10%) per category, disjoint, independent of order", () => {
    const { train, heldOut } = splitHeldOut(samples);
    assert.equal(heldOut.filter((s) => s.category === "a").length, 3);
    assert.equal(heldOut.filter((s) => s.category === "b").length, 3);
    assert.equal(train.length + heldOut.length, samples.length);
    const again = splitHeldOut(samples.slice().reverse());
    assert.deepEqual(again.heldOut.map((s) => s.key).sort(), heldOut.map((s) => s.key).sort());
  });

  test("batch sampler visits every example once per epoch, the same way every time", () => {
    const a = new BatchSampler(10, 7), b = new BatchSampler(10, 7);
    const epoch = [...a.indices(0, 5), ...a.indices(1, 5)];
    assert.deepEqual(epoch.slice().sort((x, y) => x - y), [...Array(10).keys()]);
    assert.deepEqual(b.indices(1, 5), epoch.slice(5));
    assert.notDeepEqual(new BatchSampler(10, 8).indices(0, 10), epoch);
  });

  test("augmentation is a small seeded affine jitter", () => {
    const d: Drawing = [[[0, 255, 128], [0, 0, 255]]];
    const a = augmentDrawing(d, seededRandom(3)), b = augmentDrawing(d, seededRandom(3));
    assert.deepEqual(a, b);
    const moved = a[0]![0].map((x, i) => Math.hypot(x - d[0]![0][i]!, a[0]![1][i]! - d[0]![1][i]!));
    assert.ok(Math.max(...moved) > 0.5 && Math.max(...moved) < 60, `moved ${moved}`);
  });
});
