// Paints one moment of a dance onto a canvas, with the game's pen: the shared drawing code of the
// room's dance, the game gallery and the home page (the GIF and strip rasterize the same layers,
// dance-export.ts). Lines are vector paths, so the picture is as sharp as the screen at any size.
import { type DanceMoment } from "../../game/dance";
import type { PenFrame } from "../../model/trace";
import { layersAt, type DanceDoodle, type DanceFrames, type Layer } from "./dance-frames";
import { canvasPixels, clearCanvas, lineWidthFor, prepareCanvas } from "./render";

export type DanceSource = { frames: DanceFrames | null; doodles: readonly DanceDoodle[] };

/** Per-canvas memory between display frames: what was painted last, so a still picture isn't repainted. */
export type PaintScratch = { last: Layer[]; px: number };
export const newPaintScratch = (): PaintScratch => ({ last: [], px: 0 });

/** The game pen's width as a share of the picture's side, for a picture shown `cssSize` wide (render.ts's box is 256 units). */
export function penWidth(cssSize: number): number {
  return lineWidthFor(cssSize) / 256;
}

function same(a: Layer[], b: Layer[]): boolean {
  return a.length === b.length && a.every((l, i) => l.lines === b[i]!.lines && l.alpha === b[i]!.alpha);
}

function trace(ctx: CanvasRenderingContext2D, lines: PenFrame, dotRadius: number): void {
  ctx.beginPath();
  for (const line of lines) {
    if (line.length === 2) {
      ctx.moveTo(line[0]! + dotRadius, line[1]!);
      ctx.arc(line[0]!, line[1]!, dotRadius, 0, Math.PI * 2);
      continue;
    }
    ctx.moveTo(line[0]!, line[1]!);
    for (let k = 2; k < line.length; k += 2) ctx.lineTo(line[k]!, line[k + 1]!);
  }
}

/** What a painted picture shows: players' strokes only, a model frame only, or both fading. */
export type Shown = "doodle" | "model" | "mix";

function shownBy(layers: Layer[]): Shown {
  const model = layers.some((l) => l.kind === "model");
  return !model ? "doodle" : layers.length === 1 ? "model" : "mix";
}

/** Paints moment `m` and says what the picture shows (null: nothing could be painted). */
export function paintDance(canvas: HTMLCanvasElement, cssWidth: number, src: DanceSource, m: DanceMoment, scratch: PaintScratch): Shown | null {
  const layers = layersAt(src.frames, src.doodles, m);
  const shown = shownBy(layers);
  const px = canvasPixels(cssWidth);
  if (px === scratch.px && same(layers, scratch.last)) return shown;
  // Lines are in units of the picture's side: a box one unit wide.
  const ctx = prepareCanvas(canvas, cssWidth, 1);
  if (!ctx) return null;
  clearCanvas(ctx);
  for (const layer of layers) {
    ctx.globalAlpha = layer.alpha;
    // A dot is a tiny circle stroked with the pen: a round blob one pen wide.
    trace(ctx, layer.lines, ctx.lineWidth / 100);
    ctx.stroke();
  }
  ctx.globalAlpha = 1;
  scratch.last = layers;
  scratch.px = px;
  return shown;
}
