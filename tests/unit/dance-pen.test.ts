// The dance's pen look and its fidelity measures: tracing ink maps to centre lines, the layers a
// moment shows (the player's own strokes at the ends), chamfer distance and ink IoU.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { penLength, rasterizePen, thin, traceInk } from "../../model/trace";
import { chamferDistance, inkIoU } from "../../model/fidelity";
import { RASTER_BOX_UNITS, frameDrawing, rasterize } from "../../model/rasterize";
import { doodlePen, FADE, layersAt, type DanceDoodle, type DanceFrames } from "../../app/lib/dance-frames";
import type { Stroke } from "../../protocol";

const SIDE = 28;
const blank = () => new Float32Array(SIDE * SIDE);
/** The training rasterizer's picture of strokes given in the 0..255 box. */
const drawn = (strokes: [number[], number[]][]) => rasterize(strokes, SIDE);

describe("tracing ink to pen lines", () => {
  const cases: { name: string; ink: Float32Array; lines: number; length: [number, number] }[] = [
    { name: "nothing", ink: blank(), lines: 0, length: [0, 0] },
    // A horizontal bar across the middle: one line, about as long as the bar (which spans the 256 box of 304).
    { name: "a bar", ink: drawn([[[0, 255], [128, 128]]]), lines: 1, length: [0.7, 0.9] },
    // A square outline: one closed loop about 4 sides long.
    { name: "a square", ink: drawn([[[0, 255, 255, 0, 0], [0, 0, 255, 255, 0]]]), lines: 1, length: [2.8, 3.6] },
    // Two separate strokes stay two lines.
    { name: "two bars", ink: drawn([[[0, 255], [0, 0]], [[0, 255], [255, 255]]]), lines: 2, length: [1.4, 1.8] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const frame = traceInk(c.ink, SIDE);
      assert.equal(frame.length, c.lines);
      const len = penLength(frame);
      assert.ok(len >= c.length[0] && len <= c.length[1], `length ${len}`);
    });
  }
  it("thins a thick block to a one-pixel line", () => {
    const n = 12, img = new Uint8Array(n * n);
    for (let y = 4; y < 8; y++) for (let x = 1; x < 11; x++) img[y * n + x] = 1;
    thin(img, n);
    const left = img.reduce((a, b) => a + b, 0);
    assert.ok(left >= 6 && left <= 10, `${left} pixels left`);
    for (let x = 0; x < n; x++) assert.ok(img.filter((_, i) => i % n === x).reduce((a, b) => a + b, 0) <= 1, `column ${x}`);
  });
  it("draws the lines back thin: the pen's width, not the model's", () => {
    const ink = drawn([[[0, 255], [128, 128]]]);
    const size = 200, width = 3.5 / 256;
    const pen = rasterizePen(traceInk(ink, SIDE), size, width);
    const inked = pen.reduce((a, v) => a + v, 0);
    const length = penLength(traceInk(ink, SIDE)) * size;
    // Ink area over line length is the stroke's width in pixels.
    assert.ok(Math.abs(inked / length - width * size) < 1.2, `width ${inked / length} px`);
    const model = rasterize([[[0, 255], [128, 128]]], size).reduce((a, v) => a + v, 0) / length;
    assert.ok(model > 4 * (inked / length), "the model's own strokes are several times wider");
  });
});

describe("what a moment of the dance shows", () => {
  const stroke = (pts: [number, number][]): Stroke => ({ id: `s${pts.length}`, points: pts.map(([x, y], i) => [x, y, i * 10]) });
  const doodles: DanceDoodle[] = [
    { key: "a", caption: "A", strokes: [stroke([[0, 0], [100, 100]])] },
    { key: "b", caption: "B", strokes: [stroke([[0, 100], [100, 0], [50, 50]])] },
  ];
  const frames: DanceFrames = {
    side: SIDE, count: 2, pens: new Map(),
    segments: [Array.from({ length: 32 }, () => drawn([[[0, 255], [128, 128]]])), null],
    timings: { encodeMs: 0, firstSegmentMs: null, allMs: null, segmentMs: [], serverCodes: 0 },
  };
  const show = (segment: number, t: number, f: DanceFrames | null = frames) =>
    layersAt(f, doodles, { segment, from: segment, to: (segment + 1) % 2, t }).map((l) => `${l.kind === "model" ? "model" : l.lines === doodlePen(doodles[0]!.strokes) ? "A" : "B"}@${l.alpha.toFixed(2)}`);
  const cases: { name: string; segment: number; t: number; f?: DanceFrames | null; want: string[] }[] = [
    { name: "holding: the doodle as drawn", segment: 0, t: 0, want: ["A@1.00"] },
    { name: "starting to move: A fades into the model", segment: 0, t: FADE / 2, want: ["A@0.50", "model@0.50"] },
    { name: "mid-morph: the model alone", segment: 0, t: 0.5, want: ["model@1.00"] },
    { name: "arriving: the model fades into B", segment: 0, t: 1 - FADE / 4, want: ["model@0.25", "B@0.75"] },
    { name: "arrived: B as drawn", segment: 0, t: 1, want: ["B@1.00"] },
    { name: "frames not computed yet: the two doodles cross-fade", segment: 1, t: 0.25, want: ["B@0.75", "A@0.25"] },
    { name: "no frames at all", segment: 0, t: 0.5, f: null, want: ["A@0.50", "B@0.50"] },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(show(c.segment, c.t, c.f === undefined ? frames : c.f), c.want));
  it("draws the player's strokes where the rasterizer puts them", () => {
    const pen = doodlePen(doodles[0]!.strokes);
    const framed = frameDrawing([[[0, 100], [0, 100]]]);
    assert.deepEqual(Array.from(pen[0]!), [framed[0]![0][0]!, framed[0]![1][0]!, framed[0]![0][1]!, framed[0]![1][1]!].map((v) => Math.fround(v / RASTER_BOX_UNITS)));
  });
});

describe("fidelity measures", () => {
  // Corner dots pin the framing (a lone bar would be centred wherever it was drawn).
  const corners: [number[], number[]][] = [[[0], [0]], [[255], [255]]];
  const bar = drawn([...corners, [[0, 255], [128, 128]]]);
  const shifted = drawn([...corners, [[0, 255], [160, 160]]]);
  const unit = RASTER_BOX_UNITS / SIDE;
  const cases: { name: string; a: Float32Array; b: Float32Array; chamfer: [number, number]; iou: [number, number] }[] = [
    { name: "same ink", a: bar, b: bar, chamfer: [0, 0], iou: [1, 1] },
    { name: "both empty", a: blank(), b: blank(), chamfer: [0, 0], iou: [1, 1] },
    { name: "ink against nothing", a: bar, b: blank(), chamfer: [256 * Math.SQRT2, 256 * Math.SQRT2], iou: [0, 0] },
    // 32 units lower is about 3 pixels: the bars' ink is ~3 pixels from the other bar's, the dots' 0.
    { name: "a bar moved down by 32 units", a: bar, b: shifted, chamfer: [unit, 3 * unit], iou: [0, 0.5] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const d = chamferDistance(c.a, c.b, SIDE), iou = inkIoU(c.a, c.b);
      assert.ok(d >= c.chamfer[0] - 1e-9 && d <= c.chamfer[1] + 1e-9, `chamfer ${d}`);
      assert.ok(iou >= c.iou[0] && iou <= c.iou[1], `IoU ${iou}`);
      assert.equal(chamferDistance(c.b, c.a, SIDE), d, "symmetric");
    });
  }
  it("a blur of the right shape is far from ink-perfect", () => {
    // A 3x3 box blur of the bar: its mean error is small, but the thresholded ink still differs.
    const blur = blank();
    for (let y = 1; y < SIDE - 1; y++) for (let x = 1; x < SIDE - 1; x++) {
      let s = 0;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) s += bar[(y + dy) * SIDE + x + dx]!;
      blur[y * SIDE + x] = s / 9;
    }
    assert.ok(inkIoU(bar, blur) < 0.9);
  });
});
