// The dance's pure parts: latent paths, timing, the rules' plan, GIF encoding.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { angleBetween, codeNorm, morphPath, slerp } from "../../model/morph";
import {
  DANCE_TIMING,
  danceMoment,
  easeInOut,
  framePair,
  nearestDoodle,
  playheadElapsed,
  retime,
  type Playhead,
} from "../../game/dance";
import { bestDoodles, createRoom, galleryMs, join, setDanceCodes, startGame, tick, type Context, type RoomState } from "../../game/room";
import { DANCE_LEAD_MS, GALLERY_MS } from "../../protocol";
import { coverageToIndices, encodeGif, inkPalette, type Rgb } from "../../app/lib/gif";
import { INK_RGB, PAPER_RGB } from "../../app/lib/ink";
import { decodeGif } from "../helpers/gif-decode";
import { refineStepsSetting } from "../../server/dance-codes/dance-coder";

/** Seeded normal-ish vectors (sum of uniforms), so the cases are the same on every run. */
function seededCodes(seed: number, n: number, dim: number): Float32Array[] {
  let x = seed >>> 0;
  const rand = () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  return Array.from({ length: n }, () => Float32Array.from({ length: dim }, () => rand() + rand() + rand() - 1.5));
}

const unit = (v: Float32Array) => v.map((x) => x / codeNorm(v));

describe("slerp", () => {
  const [a, b] = seededCodes(7, 2, 32) as [Float32Array, Float32Array];
  it("hits both ends exactly", () => {
    assert.deepEqual(slerp(a, b, 0), a);
    assert.deepEqual(slerp(a, b, 1), b);
    const path = morphPath(a, b, 32);
    assert.equal(path.length, 32);
    assert.deepEqual(path[0], a);
    assert.deepEqual(path[31], b);
  });
  it("keeps unit vectors on the unit sphere", () => {
    const ua = unit(a), ub = unit(b);
    for (const t of [0.1, 0.25, 0.5, 0.75, 0.9]) assert.ok(Math.abs(codeNorm(slerp(ua, ub, t)) - 1) < 1e-5, `t = ${t}`);
  });
  it("moves the length linearly from |a| to |b|", () => {
    const b2 = b.map((x) => x * 3);
    for (const t of [0.2, 0.5, 0.8]) {
      const want = (1 - t) * codeNorm(a) + t * codeNorm(b2);
      assert.ok(Math.abs(codeNorm(slerp(a, b2, t)) - want) < 1e-4);
    }
  });
  it("is a monotone path: ever farther from a, ever closer to b, at an even angular pace", () => {
    const path = morphPath(a, b, 17);
    const total = angleBetween(a, b);
    for (let i = 1; i < path.length; i++) {
      const fromA = angleBetween(a, path[i]!), prevFromA = angleBetween(a, path[i - 1]!);
      assert.ok(fromA > prevFromA, `step ${i} moves away from a`);
      assert.ok(angleBetween(b, path[i]!) < angleBetween(b, path[i - 1]!), `step ${i} moves toward b`);
      assert.ok(Math.abs(fromA - (total * i) / 16) < 1e-3, `step ${i} at an even angle`);
    }
  });
  it("handles parallel and zero codes without NaNs", () => {
    const twice = a.map((x) => x * 2);
    const mid = slerp(a, twice, 0.5);
    mid.forEach((x, i) => assert.ok(Math.abs(x - 1.5 * a[i]!) < 1e-4));
    const zero = new Float32Array(32);
    assert.ok(slerp(zero, b, 0.5).every((x) => Number.isFinite(x)));
    assert.ok(slerp(a, a.map((x) => -x), 0.3).every((x) => Number.isFinite(x)));
    assert.throws(() => slerp(a, new Float32Array(3), 0.5));
  });
});

describe("dance timing", () => {
  const seg = DANCE_TIMING.holdMs + DANCE_TIMING.morphMs;
  it("eases monotonically from 0 to 1", () => {
    let prev = -1;
    for (let i = 0; i <= 100; i++) {
      const v = easeInOut(i / 100);
      assert.ok(v >= prev);
      prev = v;
    }
    assert.equal(easeInOut(0), 0);
    assert.equal(easeInOut(1), 1);
    assert.ok(Math.abs(easeInOut(0.5) - 0.5) < 1e-12);
  });
  const cases: { name: string; elapsed: number; count: number; segment: number; from: number; to: number; t: number }[] = [
    { name: "before the start: first doodle", elapsed: -500, count: 3, segment: 0, from: 0, to: 1, t: 0 },
    { name: "holding the first", elapsed: DANCE_TIMING.holdMs / 2, count: 3, segment: 0, from: 0, to: 1, t: 0 },
    { name: "half way through the first morph", elapsed: DANCE_TIMING.holdMs + DANCE_TIMING.morphMs / 2, count: 3, segment: 0, from: 0, to: 1, t: 0.5 },
    { name: "second segment", elapsed: seg + 1, count: 3, segment: 1, from: 1, to: 2, t: 0 },
    { name: "last doodle morphs back into the first", elapsed: 3 * seg - 1, count: 3, segment: 2, from: 2, to: 0, t: 1 },
    { name: "loops", elapsed: 3 * seg + 1, count: 3, segment: 0, from: 0, to: 1, t: 0 },
    { name: "a lone doodle stands still", elapsed: 12345, count: 1, segment: 0, from: 0, to: 0, t: 0 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const m = danceMoment(c.elapsed, c.count);
      assert.deepEqual({ segment: m.segment, from: m.from, to: m.to }, { segment: c.segment, from: c.from, to: c.to });
      assert.ok(Math.abs(m.t - c.t) < 1e-5, `t ${m.t} vs ${c.t}`);
    });
  }
  it("names the doodle the morph is closest to", () => {
    assert.equal(nearestDoodle({ segment: 1, from: 1, to: 2, t: 0.3 }), 1);
    assert.equal(nearestDoodle({ segment: 1, from: 1, to: 2, t: 0.7 }), 2);
  });
  it("picks the two frames around t", () => {
    assert.deepEqual(framePair(0, 32), { index: 0, next: 1, blend: 0 });
    assert.deepEqual(framePair(1, 32), { index: 31, next: 31, blend: 0 });
    const mid = framePair(0.5, 32);
    assert.equal(mid.index, 15);
    assert.equal(mid.next, 16);
    assert.ok(Math.abs(mid.blend - 0.5) < 1e-9);
  });
  it("pauses, changes speed and keeps its place", () => {
    const startsAt = 1000;
    let p: Playhead = { kind: "synced" };
    assert.equal(playheadElapsed(p, 3000, startsAt, 50), 2000);
    p = retime(p, { paused: true }, 3000, startsAt, 50);
    assert.equal(playheadElapsed(p, 9000, startsAt, 5000), 2000);
    p = retime(p, { paused: false, speed: 2 }, 9000, startsAt, 5000);
    assert.equal(playheadElapsed(p, 9500, startsAt, 5500), 3000);
  });
});

describe("the rules plan the dance", () => {
  function playRound(inked: (ids: string[]) => string[]) {
    let ids = 0;
    const clock = { now: 1_000_000 };
    const ctx = (): Context => ({
      now: clock.now,
      newId: () => `id${++ids}`,
      random: () => 0.5,
      words: [{ word: "cat", weight: 1 }],
      scoreRound: (r) => Object.fromEntries(r.drawers.map((d) => [d, inked(r.drawers).includes(d) ? 10 : 0])),
      inkedDrawers: (r) => inked(r.drawers),
    });
    let s: RoomState = createRoom("ABCDEF", { rounds: 2, roundSeconds: 10 });
    for (const [id, nickname] of [["a", "Ann"], ["b", "Bob"], ["c", "Cy"]] as const) s = (join(s, { id, nickname }) as { state: RoomState }).state;
    s = (startGame(s, "a", ctx()) as { state: RoomState }).state;
    clock.now += 10_000;
    const ended = tick(s, ctx());
    assert.ok(ended.ok);
    return { s: ended.state, clock, ctx };
  }
  it("records the inked doodles in seat order, starting after the lead-in", () => {
    const { s, clock } = playRound((ids) => ids.filter((id) => id !== "b"));
    assert.equal(s.phase, "gallery");
    assert.deepEqual(s.dance?.steps.map((x) => x.playerId), ["a", "c"]);
    assert.equal(s.dance?.startsAt, clock.now + DANCE_LEAD_MS);
    assert.equal(s.phaseEndsAt, clock.now + galleryMs(s.dance));
  });
  it("takes the server's codes for the dance now playing, and only for it", () => {
    const { s } = playRound((ids) => ids);
    const codes = { version: "shipped-0123456789", values: [[0.5], [1], [-1]] };
    const cases: { id: string; values: number[][]; ok: boolean; code?: string }[] = [
      { id: s.dance!.id, values: codes.values, ok: true },
      { id: "an-old-dance", values: codes.values, ok: false, code: "wrong_phase" },
      { id: s.dance!.id, values: codes.values.slice(1), ok: false, code: "bad_request" },
    ];
    for (const c of cases) {
      const out = setDanceCodes(c.id, { version: codes.version, values: c.values })(s);
      assert.equal(out.ok, c.ok, JSON.stringify(c));
      if (out.ok) assert.deepEqual(out.state.dance?.codes, codes);
      else assert.equal(out.error.code, c.code);
    }
    assert.equal(setDanceCodes("x", codes)({ ...s, dance: null }).ok, false);
  });
  it("plans no dance when nobody drew", () => {
    const { s, clock } = playRound(() => []);
    assert.equal(s.dance, null);
    assert.equal(s.phaseEndsAt, clock.now + GALLERY_MS);
  });
  it("ends the game with each player's best doodle", () => {
    const { s: gallery, clock, ctx } = playRound((ids) => ids);
    clock.now = gallery.phaseEndsAt!;
    const round2 = tick(gallery, ctx());
    assert.ok(round2.ok);
    assert.equal(round2.state.dance, null);
    clock.now = round2.state.phaseEndsAt!;
    const g2 = tick(round2.state, ctx());
    assert.ok(g2.ok);
    clock.now = g2.state.phaseEndsAt!;
    const results = tick(g2.state, ctx());
    assert.ok(results.ok);
    assert.equal(results.state.phase, "results");
    // Equal points: the later round wins.
    const second = results.state.rounds[1]!.id;
    assert.deepEqual(results.state.dance?.steps, ["a", "b", "c"].map((playerId) => ({ roundId: second, playerId })));
    assert.deepEqual(bestDoodles(results.state), results.state.dance?.steps);
  });
});

describe("refinement steps setting", () => {
  const cases: [string | undefined, number | undefined | "error"][] = [
    [undefined, undefined], ["", undefined], ["0", 0], ["40", 40], ["500", 500], ["501", "error"], ["-1", "error"], ["2.5", "error"], ["lots", "error"],
  ];
  for (const [value, want] of cases) {
    it(`DANCE_REFINE_STEPS=${JSON.stringify(value)}`, () => {
      if (want === "error") assert.throws(() => refineStepsSetting(value), /DANCE_REFINE_STEPS must be a whole number from 0 to 500/);
      else assert.equal(refineStepsSetting(value), want);
    });
  }
});

describe("GIF encoder", () => {
  it("writes a valid looping GIF89a with the right frames, delays and pixels", () => {
    const w = 37, h = 23, levels = 16;
    const palette = inkPalette(levels, PAPER_RGB as unknown as Rgb, INK_RGB as unknown as Rgb);
    const frames = Array.from({ length: 5 }, (_, f) => {
      const cov = Float32Array.from({ length: w * h }, (_, i) => ((i * (f + 3)) % 97) / 96);
      return { indices: coverageToIndices(cov, levels), delayMs: 40 + f * 10 };
    });
    const gif = encodeGif({ width: w, height: h, palette, frames });
    const decoded = decodeGif(gif);
    assert.equal(decoded.header, "GIF89a");
    assert.deepEqual([decoded.width, decoded.height], [w, h]);
    assert.equal(decoded.loops, 0);
    assert.equal(decoded.palette.length, 16);
    assert.deepEqual(decoded.palette[0], [...PAPER_RGB]);
    assert.deepEqual(decoded.palette[15], [...INK_RGB]);
    assert.equal(decoded.frames.length, 5);
    decoded.frames.forEach((f, i) => {
      assert.equal(f.delayCs, Math.round(frames[i]!.delayMs / 10));
      assert.deepEqual(f.indices, frames[i]!.indices);
    });
  });
  it("survives a full LZW table (big noisy frame) and a 2-colour palette", () => {
    let x = 1;
    const noise = Uint8Array.from({ length: 300 * 300 }, () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 28) & 1);
    const gif = encodeGif({ width: 300, height: 300, palette: [[255, 255, 255], [0, 0, 0]], frames: [{ indices: noise, delayMs: 100 }] });
    assert.deepEqual(decodeGif(gif).frames[0]!.indices, noise);
    const full = Uint8Array.from({ length: 256 * 256 }, (_, i) => (i * 7919) % 256);
    const palette = Array.from({ length: 256 }, (_, i) => [i, i, i] as Rgb);
    assert.deepEqual(decodeGif(encodeGif({ width: 256, height: 256, palette, frames: [{ indices: full, delayMs: 50 }] })).frames[0]!.indices, full);
  });
});

describe("backend choice", () => {
  it("takes a forced backend from the page's query, and nothing else", async () => {
    const { forcedBackend, BACKEND_ORDER } = await import("../../app/lib/tf-backend");
    assert.deepEqual(BACKEND_ORDER, ["webgpu", "webgl", "wasm", "cpu"]);
    assert.equal(forcedBackend("?backend=wasm"), "wasm");
    assert.equal(forcedBackend("?x=1&backend=webgl"), "webgl");
    assert.equal(forcedBackend("?backend=tpu"), null);
    assert.equal(forcedBackend(""), null);
  });
});
