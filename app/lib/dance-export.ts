// Saving a dance: an animated GIF of one loop (sampled on the same eased timeline the page
// plays) and a PNG-ready strip of frames (one row per morph). Pure: the component turns the
// results into downloads.
import { danceMoment, loopMs, type DanceMoment, type DanceTiming, DANCE_TIMING } from "../../game/dance";
import { rasterizePen } from "../../model/trace";
import { layersAt, type DanceDoodle, type DanceFrames, type Layer } from "./dance-frames";
import { penWidth } from "./dance-paint";
import { coverageToIndices, encodeGif, inkPalette, type Rgb } from "./gif";
import { INK_RGB, PAPER_RGB, coverageToRGBA } from "./ink";

/** Grey levels between paper and ink in the GIF: enough for smooth edges, small files. */
export const GIF_LEVELS = 16;
/** GIF delays are in 1/100 s; 60 ms (16.7 fps) keeps one loop of 12 doodles near 400 frames. */
export const GIF_STEP_MS = 60;

/** Frame times of one loop: every GIF_STEP_MS from 0 (the dance's own eased timeline). */
export function gifFrameTimes(count: number, timing: DanceTiming = DANCE_TIMING, stepMs = GIF_STEP_MS): number[] {
  const total = loopMs(count, timing);
  return Array.from({ length: Math.max(1, Math.round(total / stepMs)) }, (_, i) => i * stepMs);
}

/**
 * The layers as the canvas composites them (each drawn "over" the ones before at its opacity),
 * with the pen a picture of this size gets on the page.
 */
export function layersCoverage(layers: Layer[], size: number, out = new Float32Array(size * size)): Float32Array {
  out.fill(0);
  const one = new Float32Array(size * size);
  for (const { lines, alpha } of layers) {
    rasterizePen(lines, size, penWidth(size), one);
    for (let i = 0; i < out.length; i++) out[i] = 1 - (1 - (out[i] as number)) * (1 - alpha * (one[i] as number));
  }
  return out;
}

function computedLayers(frames: DanceFrames, doodles: readonly DanceDoodle[], m: DanceMoment): Layer[] {
  if (!frames.segments[m.segment]) throw new Error("the dance is still being computed");
  return layersAt(frames, doodles, m);
}

/** One loop of the dance as an animated GIF, `size` pixels square. All segments must be computed. */
export function danceGif(frames: DanceFrames, doodles: readonly DanceDoodle[], size: number, timing: DanceTiming = DANCE_TIMING, stepMs = GIF_STEP_MS): Uint8Array {
  const palette = inkPalette(GIF_LEVELS, PAPER_RGB as unknown as Rgb, INK_RGB as unknown as Rgb);
  const coverage = new Float32Array(size * size);
  const gifFrames = gifFrameTimes(frames.count, timing, stepMs).map((ms) => {
    // Times sit exactly on segment starts for ms = 0; nudge inside so the loop starts on doodle 0.
    const c = layersCoverage(computedLayers(frames, doodles, danceMoment(ms + 0.5, frames.count, timing)), size, coverage);
    return { indices: coverageToIndices(c, GIF_LEVELS), delayMs: stepMs };
  });
  return encodeGif({ width: size, height: size, palette, frames: gifFrames });
}

/**
 * A strip of frames, one row per morph, `columns` evenly spaced frames per row, each `cell`
 * pixels: RGBA for a canvas (then PNG).
 */
export function danceStrip(frames: DanceFrames, doodles: readonly DanceDoodle[], columns: number, cell: number): { width: number; height: number; rgba: Uint8ClampedArray<ArrayBuffer> } {
  const rows = frames.count;
  const width = columns * cell, height = rows * cell;
  const rgba = new Uint8ClampedArray(width * height * 4);
  const coverage = new Float32Array(cell * cell);
  const tile = new Uint8ClampedArray(cell * cell * 4);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      const t = columns === 1 ? 0 : c / (columns - 1);
      const cov = layersCoverage(computedLayers(frames, doodles, { segment: r, from: r, to: (r + 1) % rows, t }), cell, coverage);
      coverageToRGBA(cov, tile);
      for (let y = 0; y < cell; y++) {
        rgba.set(tile.subarray(y * cell * 4, (y + 1) * cell * 4), ((r * cell + y) * width + c * cell) * 4);
      }
    }
  }
  return { width, height, rgba };
}
