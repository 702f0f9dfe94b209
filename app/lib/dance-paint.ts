// Paints one moment of a dance onto a canvas: the shared drawing code of the room's dance, the
// game gallery and the home page. Frames not computed yet show the doodle itself, as drawn.
import { type DanceMoment } from "../../game/dance";
import { inkAt, type DanceDoodle, type DanceFrames } from "./dance-frames";
import { upscaleInkRGBA } from "./ink";
import { drawStrokes, prepareCanvas } from "./render";

/** Largest bitmap made per display frame (the browser scales it to the canvas). */
const MAX_PIXELS = 400;

export type DanceSource = { frames: DanceFrames | null; doodles: readonly DanceDoodle[] };

/** Per-canvas scratch memory, kept between display frames so painting allocates nothing. */
export type PaintScratch = { buffers: Map<number, { image: ImageData; pixels: Uint32Array }>; ink: Float32Array };
export const newPaintScratch = (): PaintScratch => ({ buffers: new Map(), ink: new Float32Array(0) });

/** Paints moment `m`; true when it painted a model frame, false when it showed the doodle as drawn. */
export function paintDance(canvas: HTMLCanvasElement, cssWidth: number, src: DanceSource, m: DanceMoment, scratch: PaintScratch): boolean {
  const f = src.frames;
  if (!f || !f.segments[m.segment]) {
    const ctx = prepareCanvas(canvas, cssWidth);
    if (ctx) drawStrokes(ctx, src.doodles[m.from]?.strokes ?? []);
    return false;
  }
  const ratio = Math.min(window.devicePixelRatio || 1, 3);
  const px = Math.min(MAX_PIXELS, Math.round(cssWidth * ratio));
  if (canvas.width !== px) canvas.width = px;
  if (canvas.height !== px) canvas.height = px;
  let buf = scratch.buffers.get(px);
  if (!buf) {
    const image = new ImageData(px, px);
    buf = { image, pixels: new Uint32Array(image.data.buffer) };
    scratch.buffers.set(px, buf);
  }
  if (scratch.ink.length !== f.side * f.side) scratch.ink = new Float32Array(f.side * f.side);
  const ink = inkAt(f, m, scratch.ink);
  if (!ink) return false;
  upscaleInkRGBA(ink, f.side, px, buf.pixels);
  canvas.getContext("2d")?.putImageData(buf.image, 0, 0);
  return true;
}
