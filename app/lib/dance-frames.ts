// The dance's frames: every doodle is rasterized by model/rasterize.ts (the training data's
// rasterizer) from its stored strokes and encoded in one batch; then each morph (doodle i to
// doodle i + 1) is decoded as FRAMES_PER_MORPH frames in one batch along the slerp path. Frames
// are 28x28 ink maps, kept as they are; what is shown is made from them per display frame
// (ink.ts), so the cache stays small and the picture is as sharp as the screen.
import type { Stroke } from "../../protocol";
import type { DoodleModel } from "../../model/inference";
import { drawingFromPoints } from "../../model/rasterize";
import { morphPath } from "../../model/morph";
import { framePair, type DanceMoment } from "../../game/dance";
import { blendInk, upscaleInk } from "./ink";

export const FRAMES_PER_MORPH = 32;

export type DanceDoodle = {
  /** roundId/playerId */
  key: string;
  /** Shown as the morph passes through it, e.g. "Ann's cat". */
  caption: string;
  strokes: readonly Stroke[];
};

export type DanceFrames = {
  /** Side of the model's bitmaps (28). */
  side: number;
  count: number;
  /** segments[i]: frames of the morph from doodle i to doodle i + 1 (one frame for a lone doodle); null until computed. */
  segments: (Float32Array[] | null)[];
  timings: { encodeMs: number; firstSegmentMs: number | null; allMs: number | null; segmentMs: number[] };
};

/** Segment order: the one playing now first, so the first frame comes as early as possible. */
export function segmentOrder(count: number, first: number): number[] {
  return Array.from({ length: count }, (_, i) => (first + i) % count);
}

/**
 * Computes every segment's frames, the one at `firstSegment` first, calling `onUpdate` after each
 * (with the frames so far) and yielding to the page between segments so animation keeps running.
 * Stops early, returning what it has, when `cancelled()` says so.
 */
export async function computeDance(
  model: DoodleModel,
  doodles: readonly DanceDoodle[],
  opts: { firstSegment?: number; onUpdate?: (f: DanceFrames) => void; cancelled?: () => boolean; framesPerMorph?: number } = {},
): Promise<DanceFrames> {
  const { encodeDrawings, decodeCodesAsync } = await import("../../model/inference");
  const n = doodles.length;
  const perMorph = opts.framesPerMorph ?? FRAMES_PER_MORPH;
  const started = performance.now();
  const codes = encodeDrawings(model, doodles.map((d) => drawingFromPoints(d.strokes)));
  const frames: DanceFrames = {
    side: model.cfg.imageSize,
    count: n,
    segments: Array.from({ length: n }, () => null),
    timings: { encodeMs: performance.now() - started, firstSegmentMs: null, allMs: null, segmentMs: [] },
  };
  for (const seg of segmentOrder(n, Math.min(Math.max(0, opts.firstSegment ?? 0), Math.max(0, n - 1)))) {
    if (opts.cancelled?.()) return frames;
    const t0 = performance.now();
    const a = codes[seg]!, b = codes[(seg + 1) % n]!;
    frames.segments[seg] = await decodeCodesAsync(model, n === 1 ? [a] : morphPath(a, b, perMorph));
    frames.timings.segmentMs.push(performance.now() - t0);
    frames.timings.firstSegmentMs ??= performance.now() - started;
    opts.onUpdate?.({ ...frames, segments: [...frames.segments] });
    await nextPaint();
  }
  frames.timings.allMs = performance.now() - started;
  return frames;
}

/**
 * Lets the page paint a frame (and the animation run) between segments. A hidden tab gets no
 * animation frames, so a timer goes on after 50 ms regardless; in Node, only the timer.
 */
function nextPaint(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestAnimationFrame === "function") requestAnimationFrame(() => setTimeout(resolve, 0));
    setTimeout(resolve, typeof requestAnimationFrame === "function" ? 50 : 0);
  });
}

/** The ink map at a moment (blending the two nearest computed frames); null if its segment isn't ready. */
export function inkAt(frames: DanceFrames, m: DanceMoment, scratch?: Float32Array): Float32Array | null {
  const seg = frames.segments[m.segment];
  if (!seg) return null;
  const { index, next, blend } = framePair(m.t, seg.length);
  return blend === 0 ? seg[index]! : blendInk(seg[index]!, seg[next]!, blend, scratch);
}

/** Frames computed earlier in this page, by model version and doodles (the results page often dances the gallery's doodles again). */
const computed = new Map<string, DanceFrames>();
const KEEP_COMPUTED = 6;

export function cachedDance(key: string): DanceFrames | undefined {
  return computed.get(key);
}

export function rememberDance(key: string, frames: DanceFrames): void {
  computed.delete(key);
  computed.set(key, frames);
  while (computed.size > KEEP_COMPUTED) computed.delete(computed.keys().next().value as string);
}

/** Coverage (0..1) at `size`^2 for a moment, upscaled and inked; null if not ready. */
export function coverageAt(frames: DanceFrames, m: DanceMoment, size: number, out?: Float32Array): Float32Array | null {
  const ink = inkAt(frames, m);
  return ink && upscaleInk(ink, frames.side, size, out);
}
