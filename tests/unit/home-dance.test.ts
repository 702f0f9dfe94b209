// The home page's precomputed dance: its packing round-trips, and the shipped asset decodes into
// a whole loop of frames the room's painter can play, made by the weights that ship.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { danceMoment, loopMs } from "../../game/dance";
import { layersAt } from "../../app/lib/dance-frames";
import { meanAbsDiff } from "../../app/lib/ink";
import { packFrames, unpackHomeDance, type HomeDanceAsset } from "../../app/lib/home-dance";
import { shippedVersion } from "../../server/http/model-files";

const ASSET = "app/lib/home-dance.json";

function synthetic(count: number, perMorph: number, side: number): { asset: HomeDanceAsset; segments: Float32Array[][] } {
  const segments = Array.from({ length: count }, (_, s) =>
    Array.from({ length: perMorph }, (_, f) => Float32Array.from({ length: side * side }, (_, p) => ((s * 7 + f * 3 + p) % 11) / 10)),
  );
  const asset: HomeDanceAsset = {
    attribution: "test",
    model: { version: "shipped-0000000000", trainedAt: null, madeAt: null },
    side,
    framesPerMorph: perMorph,
    doodles: Array.from({ length: count }, (_, i) => ({ word: `w${i}`, keyId: `k${i}`, caption: `a w${i}`, strokes: [[[i, 0], [255, 255 - i]]] })),
    frames: packFrames(segments),
  };
  return { asset, segments };
}

describe("home dance packing", () => {
  it("round-trips frames to within half a byte step, segment by segment and frame by frame", () => {
    const { asset, segments } = synthetic(3, 4, 5);
    const { frames } = unpackHomeDance(asset);
    assert.equal(frames.count, 3);
    assert.equal(frames.side, 5);
    segments.forEach((seg, s) =>
      seg.forEach((map, f) => {
        const got = frames.segments[s]![f]!;
        assert.equal(got.length, 25);
        map.forEach((v, p) => assert.ok(Math.abs(got[p]! - v) <= 0.5 / 255 + 1e-7, `segment ${s} frame ${f} pixel ${p}`));
      }),
    );
  });

  it("clamps ink outside 0..1 instead of wrapping bytes around", () => {
    const packed = packFrames([[Float32Array.of(-0.5, 1.5, 0, 1)]]);
    assert.deepEqual([...atob(packed)].map((c) => c.charCodeAt(0)), [0, 255, 0, 255]);
  });

  it("turns the doodles into strokes of [x, y, t] points with their captions", () => {
    const { doodles } = unpackHomeDance(synthetic(2, 2, 2).asset);
    assert.deepEqual(doodles[1], { key: "quickdraw/k1", caption: "a w1", strokes: [{ id: "k1-0", points: [[1, 0, 0], [255, 254, 0]] }] });
  });

  it("refuses frames that don't match the doodles", () => {
    const { asset } = synthetic(3, 4, 5);
    assert.throws(() => unpackHomeDance({ ...asset, doodles: asset.doodles.slice(1) }), /bytes of frames for 2 doodles/);
  });
});

describe("the shipped home dance", async () => {
  const asset = JSON.parse(await readFile(ASSET, "utf8")) as HomeDanceAsset;
  const { frames, doodles } = unpackHomeDance(asset);

  it("was made by the weights that ship (else: npx tsx scripts/make-home-dance.ts)", async () => {
    assert.equal(asset.model.version, (await shippedVersion()).version);
  });

  it("credits Quick, Draw! and captions every doodle", () => {
    assert.match(asset.attribution, /Quick, Draw!.*CC BY 4\.0/);
    assert.ok(doodles.length >= 4, `${doodles.length} doodles`);
    for (const d of doodles) {
      assert.match(d.caption, /^an? \w/);
      assert.ok(d.strokes.length > 0 && d.strokes.every((s) => s.points.every(([x, y]) => x >= 0 && x <= 255 && y >= 0 && y <= 255)));
    }
  });

  it("has lines to draw at every moment of the loop, and each morph ends where the next begins", () => {
    const total = loopMs(doodles.length);
    for (let ms = 0; ms < total; ms += 50) {
      const layers = layersAt(frames, doodles, danceMoment(ms, doodles.length));
      assert.ok(layers.some((l) => l.alpha > 0 && l.lines.some((line) => line.length >= 2)), `nothing to draw at ${ms} ms`);
    }
    frames.segments.forEach((seg, s) => {
      const last = seg![seg!.length - 1]!, next = frames.segments[(s + 1) % frames.count]![0]!;
      assert.ok(meanAbsDiff(last, next) < 0.01, `segment ${s} does not end where ${s + 1} begins`);
    });
  });
});
