// Saving a replay: the doodle being drawn as an animated GIF, on the player's timeline, drawn with
// the game's pen (the dance GIF's rasterizer, encoder, palette and grey levels). Pure, so Node
// tests decode what the browser saves.
import type { Stroke } from "../../protocol";
import { rasterizePen, type PenFrame } from "../../model/trace";
import { GIF_LEVELS, GIF_STEP_MS } from "./dance-export";
import { penWidth } from "./dance-paint";
import { coverageToIndices, encodeGif, inkPalette, type GifFrame, type Rgb } from "./gif";
import { INK_RGB, PAPER_RGB } from "./ink";
import { replayTimeline, strokesAt, type ReplayOptions } from "./replay";

/** How long the finished doodle shows before the GIF loops back to the blank page. */
export const REPLAY_GIF_HOLD_MS = 1500;

/** The box's 256 units to the picture's side, point centres as render.ts draws them (+0.5). */
export function strokesPen(strokes: readonly Stroke[]): PenFrame {
  return strokes.map(({ points }) => {
    const line = new Float32Array(points.length * 2);
    points.forEach(([x, y], k) => {
      line[2 * k] = (x + 0.5) / 256;
      line[2 * k + 1] = (y + 0.5) / 256;
    });
    return line;
  });
}

/** Frame times: every stepMs from the blank start, and the end (the whole doodle) last. */
export function replayFrameTimes(durationMs: number, stepMs = GIF_STEP_MS): number[] {
  const times = Array.from({ length: Math.ceil(durationMs / stepMs) }, (_, i) => i * stepMs);
  times.push(durationMs);
  return times;
}

/** The replay as a looping GIF, `size` pixels square. */
export function replayGif(strokes: readonly Stroke[], size: number, opts: ReplayOptions & { stepMs?: number } = {}): Uint8Array {
  const tl = replayTimeline(strokes, opts);
  const times = replayFrameTimes(tl.durationMs, opts.stepMs);
  const coverage = new Float32Array(size * size);
  const frames: GifFrame[] = times.map((ms, i) => {
    rasterizePen(strokesPen(strokesAt(tl, ms)), size, penWidth(size), coverage);
    const next = times[i + 1];
    return { indices: coverageToIndices(coverage, GIF_LEVELS), delayMs: next === undefined ? REPLAY_GIF_HOLD_MS : next - ms };
  });
  const palette = inkPalette(GIF_LEVELS, PAPER_RGB as unknown as Rgb, INK_RGB as unknown as Rgb);
  return encodeGif({ width: size, height: size, palette, frames });
}
