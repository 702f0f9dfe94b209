// Draws Quick, Draw! strokes (0..255 box) onto a 2D canvas: ink on paper, round caps and joins.
import { COORD_MAX, type Point, type Stroke } from "../../protocol";

export const INK = "#1f2433";

/** Line width in box units: thin enough for detail, relatively thicker on thumbnails so they stay legible. */
export function lineWidthFor(cssSize: number): number {
  return cssSize < 160 ? 6 : cssSize < 320 ? 4.5 : 3.5;
}

/** Backing-store pixels of a square canvas shown `cssSize` wide, for the device's pixel ratio (at most 3). */
export function canvasPixels(cssSize: number): number {
  const ratio = typeof window === "undefined" ? 1 : Math.min(window.devicePixelRatio || 1, 3);
  return Math.max(1, Math.round(cssSize * ratio));
}

/**
 * Sizes the backing store for the device's pixel ratio and maps a box `boxUnits` wide onto it (the
 * 0..255 box by default), with the game's pen for a canvas of this size in those units.
 */
export function prepareCanvas(canvas: HTMLCanvasElement, cssSize: number, boxUnits = COORD_MAX + 1): CanvasRenderingContext2D | null {
  const px = canvasPixels(cssSize);
  if (canvas.width !== px) canvas.width = px;
  if (canvas.height !== px) canvas.height = px;
  const ctx = canvas.getContext("2d");
  if (!ctx) return null;
  const scale = px / boxUnits;
  ctx.setTransform(scale, 0, 0, scale, 0, 0);
  ctx.lineCap = "round";
  ctx.lineJoin = "round";
  ctx.strokeStyle = INK;
  ctx.fillStyle = INK;
  ctx.lineWidth = (lineWidthFor(cssSize) * boxUnits) / (COORD_MAX + 1);
  return ctx;
}

/** Clears the whole canvas, whatever its transform. */
export function clearCanvas(ctx: CanvasRenderingContext2D): void {
  ctx.save();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  ctx.restore();
}

/** One segment of a stroke being drawn (so live drawing doesn't redraw everything). */
export function drawSegment(ctx: CanvasRenderingContext2D, from: Point, to: Point): void {
  ctx.beginPath();
  ctx.moveTo(from[0] + 0.5, from[1] + 0.5);
  ctx.lineTo(to[0] + 0.5, to[1] + 0.5);
  ctx.stroke();
}

/** A lone point would be invisible as a path; it's a dot. */
export function drawDot(ctx: CanvasRenderingContext2D, p: Point): void {
  ctx.beginPath();
  ctx.arc(p[0] + 0.5, p[1] + 0.5, ctx.lineWidth / 2, 0, Math.PI * 2);
  ctx.fill();
}

export function drawStrokes(ctx: CanvasRenderingContext2D, strokes: readonly Stroke[]): void {
  clearCanvas(ctx);
  for (const { points } of strokes) {
    const [first, ...rest] = points;
    if (!first) continue;
    if (!rest.length) {
      drawDot(ctx, first);
      continue;
    }
    ctx.beginPath();
    ctx.moveTo(first[0] + 0.5, first[1] + 0.5);
    for (const p of rest) ctx.lineTo(p[0] + 0.5, p[1] + 0.5);
    ctx.stroke();
  }
}
