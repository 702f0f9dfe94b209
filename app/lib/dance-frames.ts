// The dance's frames: every doodle is rasterized by model/rasterize.ts (the training data's
// rasterizer) from its stored strokes and encoded in one batch; then each morph (doodle i to
// doodle i + 1) is decoded as FRAMES_PER_MORPH frames in one batch along the slerp path. Frames
// are 28x28 ink maps; what is shown is their centre lines (model/trace.ts), traced on first use
// and drawn with the game's pen. Each doodle's part starts and ends on the doodle as the player
// drew it: the morph fades from the player's own strokes into the model's frames and back out.
import type { Stroke } from "../../protocol";
import type { DoodleModel } from "../../model/inference";
import { drawingFromPoints, frameDrawing, RASTER_BOX_UNITS } from "../../model/rasterize";
import { morphPath } from "../../model/morph";
import { framePair, type DanceMoment } from "../../game/dance";
import { traceInk, type PenFrame } from "../../model/trace";

export const FRAMES_PER_MORPH = 32;

export type DanceDoodle = {
  /** roundId/playerId */
  key: string;
  /** Shown as the morph passes through it, e.g. "Ann's cat". */
  caption: string;
  strokes: readonly Stroke[];
  /** The server's refined code for this doodle, by the model version it was made for. */
  code?: { version: string; value: Float32Array };
};

export type DanceFrames = {
  /** Side of the model's bitmaps (28). */
  side: number;
  count: number;
  /** segments[i]: frames of the morph from doodle i to doodle i + 1 (one frame for a lone doodle); null until computed. */
  segments: (Float32Array[] | null)[];
  /** Frames traced to pen lines, keyed by segment and frame (penFrame), filled as they are first shown. */
  pens: Map<number, PenFrame>;
  /** serverCodes: doodles whose code came from the server rather than this browser's encoder. */
  timings: { encodeMs: number; firstSegmentMs: number | null; allMs: number | null; segmentMs: number[]; serverCodes: number };
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
  opts: {
    firstSegment?: number; onUpdate?: (f: DanceFrames) => void; cancelled?: () => boolean; framesPerMorph?: number;
    /** The loaded model's version: doodles with a code for it skip the encoder. */
    version?: string;
  } = {},
): Promise<DanceFrames> {
  const { encodeDrawings, decodeCodesAsync } = await import("../../model/inference");
  const n = doodles.length;
  const perMorph = opts.framesPerMorph ?? FRAMES_PER_MORPH;
  const started = performance.now();
  const given = doodles.map((d) => (d.code && d.code.version === opts.version ? d.code.value : null));
  const encoded = encodeDrawings(model, doodles.filter((_, i) => !given[i]).map((d) => drawingFromPoints(d.strokes)));
  const codes = given.map((c) => c ?? encoded.shift()!);
  const frames: DanceFrames = {
    side: model.cfg.imageSize,
    count: n,
    segments: Array.from({ length: n }, () => null),
    pens: new Map(),
    timings: { encodeMs: performance.now() - started, firstSegmentMs: null, allMs: null, segmentMs: [], serverCodes: given.filter(Boolean).length },
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

/** FNV-1a over every computed frame's bytes: two browsers with the same hash show the same frames, bit for bit. */
export function framesHash(frames: DanceFrames): string {
  let h = 0x811c9dc5;
  for (const seg of frames.segments) {
    for (const frame of seg ?? []) {
      const bytes = new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength);
      for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ (bytes[i] as number), 0x01000193);
    }
  }
  return (h >>> 0).toString(16).padStart(8, "0");
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

/** Share of a morph (in eased time) spent fading between the player's strokes and the model's frames. */
export const FADE = 0.2;

/** Something to draw: lines in units of the picture's side, at an opacity. */
export type Layer = { lines: PenFrame; alpha: number; kind: "doodle" | "model" };

const doodlePens = new WeakMap<readonly Stroke[], PenFrame>();

/** A doodle's own strokes, framed as the rasterizer frames them (so they line up with the model's frames). */
export function doodlePen(strokes: readonly Stroke[]): PenFrame {
  let pen = doodlePens.get(strokes);
  if (!pen) {
    pen = frameDrawing(drawingFromPoints(strokes)).map(([xs, ys]) => {
      const line = new Float32Array(xs.length * 2);
      xs.forEach((x, k) => { line[2 * k] = x / RASTER_BOX_UNITS; line[2 * k + 1] = (ys[k] as number) / RASTER_BOX_UNITS; });
      return line;
    });
    doodlePens.set(strokes, pen);
  }
  return pen;
}

/** The traced model frame nearest to moment m (null if its segment isn't computed yet). */
function penFrame(frames: DanceFrames, m: DanceMoment): PenFrame | null {
  const seg = frames.segments[m.segment];
  if (!seg) return null;
  const { index, blend } = framePair(m.t, seg.length);
  const nearest = blend < 0.5 ? index : Math.min(seg.length - 1, index + 1);
  const key = m.segment * 4096 + nearest;
  let pen = frames.pens.get(key);
  if (!pen) {
    pen = traceInk(seg[nearest]!, frames.side);
    frames.pens.set(key, pen);
  }
  return pen;
}

/**
 * What to draw at moment m: the doodle as drawn while it holds; during a morph the player's
 * strokes fade into the model's frame (first FADE of the way) and the frame fades into the next
 * player's strokes (last FADE). Frames not computed yet: the two doodles cross-fade.
 */
export function layersAt(frames: DanceFrames | null, doodles: readonly DanceDoodle[], m: DanceMoment): Layer[] {
  const from = doodles[m.from], to = doodles[m.to];
  if (!from) return [];
  const own = (d: DanceDoodle, alpha: number): Layer[] => (alpha > 0 ? [{ lines: doodlePen(d.strokes), alpha, kind: "doodle" }] : []);
  if (m.t <= 0 || !to || m.from === m.to) return own(from, 1);
  if (m.t >= 1) return own(to, 1);
  const pen = frames && penFrame(frames, m);
  if (!pen) return [...own(from, 1 - m.t), ...own(to, m.t)];
  const model = Math.min(1, m.t / FADE, (1 - m.t) / FADE);
  return [...own(from, m.t < FADE ? 1 - model : 0), { lines: pen, alpha: model, kind: "model" }, ...own(to, m.t > 1 - FADE ? 1 - model : 0)];
}
