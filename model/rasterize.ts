// The one rasterizer: training, the fine-tune job and the browser all turn strokes into bitmaps here,
// so a player's doodle reaches the model exactly as training doodles did. Pure TS (no canvas), so
// Node and the browser produce identical bitmaps.
//
// It follows the usual Quick, Draw! rendering (the dataset's own 28x28 bitmaps): the drawing is
// aligned and scaled into the 0-255 box, centred, drawn with round caps and joins 16 units wide,
// with 16 units of padding plus half a line width on each side of the 256 box, anti-aliased.
// Anti-aliasing uses the distance to the nearest stroke (coverage = clamp(r + 0.5 - d)), exact for
// straight edges and close to area coverage elsewhere; ink = 1, background = 0.

/** Quick, Draw! simplified format: strokes of [xs, ys], coordinates in 0..255. */
export type Stroke = [xs: number[], ys: number[]];
export type Drawing = Stroke[];

export const BOX = 256;
export const LINE_WIDTH = 16;
export const PADDING = 16;
/** Units of the 256 box (with padding and a line width) that one bitmap side spans. */
export const RASTER_BOX_UNITS = BOX + PADDING * 2 + LINE_WIDTH;

/** Points as the game's protocol sends them ([x, y, t] per point) to the dataset's format. */
export function drawingFromPoints(strokes: readonly { points: readonly (readonly number[])[] }[]): Drawing {
  return strokes
    .filter((s) => s.points.length > 0)
    .map((s) => [s.points.map((p) => p[0] ?? 0), s.points.map((p) => p[1] ?? 0)]);
}

/**
 * The dataset's normalisation: move the drawing to the top-left and scale it uniformly so its
 * larger side spans 0..255. Dataset drawings are already normalised (this is then the identity);
 * a player's doodle or an augmented one is not.
 */
export function normalizeDrawing(drawing: Drawing): Drawing {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const [xs, ys] of drawing) {
    for (const x of xs) { if (x < minX) minX = x; if (x > maxX) maxX = x; }
    for (const y of ys) { if (y < minY) minY = y; if (y > maxY) maxY = y; }
  }
  if (!Number.isFinite(minX)) return [];
  const side = Math.max(maxX - minX, maxY - minY);
  const scale = side > 0 ? 255 / side : 1;
  return drawing.map(([xs, ys]) => [xs.map((x) => (x - minX) * scale), ys.map((y) => (y - minY) * scale)]);
}

/**
 * Rasterises into out (size*size, row-major, ink = 1), which is overwritten. Returns out.
 * The drawing is normalised first, so any coordinate range is accepted.
 */
export function rasterize(drawing: Drawing, size: number, out = new Float32Array(size * size)): Float32Array {
  out.fill(0);
  const scale = size / RASTER_BOX_UNITS;
  const radius = (LINE_WIDTH / 2) * scale;
  const reach = radius + 0.5;
  for (const [xs, ys] of frameDrawing(drawing)) {
    const n = Math.min(xs.length, ys.length);
    if (n === 0) continue;
    // Pixel (i, j) covers [j, j+1) x [i, i+1); its centre is at (j + 0.5, i + 0.5).
    let px = (xs[0] as number) * scale;
    let py = (ys[0] as number) * scale;
    if (n === 1) stampSegment(out, size, px, py, px, py, radius, reach);
    for (let k = 1; k < n; k++) {
      const qx = (xs[k] as number) * scale;
      const qy = (ys[k] as number) * scale;
      stampSegment(out, size, px, py, qx, qy, radius, reach);
      px = qx;
      py = qy;
    }
  }
  return out;
}

/**
 * The drawing where the rasterizer puts it: normalised, then centred by its bounding box in the
 * 256 box, in units of the RASTER_BOX_UNITS-wide frame the bitmap spans (same framing as the
 * dataset's renderer). The dance draws players' strokes in this frame, so they line up with the
 * model's frames.
 */
export function frameDrawing(drawing: Drawing): Drawing {
  const norm = normalizeDrawing(drawing);
  let maxX = 0, maxY = 0;
  for (const [xs, ys] of norm) {
    for (const x of xs) if (x > maxX) maxX = x;
    for (const y of ys) if (y > maxY) maxY = y;
  }
  const totalPad = RASTER_BOX_UNITS - BOX;
  const offX = (BOX - maxX) / 2 + totalPad / 2;
  const offY = (BOX - maxY) / 2 + totalPad / 2;
  return norm.map(([xs, ys]) => [xs.map((x) => x + offX), ys.map((y) => y + offY)]);
}

/** Raises coverage of pixels near the capsule (segment with round caps) to their anti-aliased value. */
export function stampSegment(
  out: Float32Array, size: number,
  ax: number, ay: number, bx: number, by: number, radius: number, reach: number,
): void {
  const x0 = Math.max(0, Math.floor(Math.min(ax, bx) - reach));
  const x1 = Math.min(size - 1, Math.floor(Math.max(ax, bx) + reach));
  const y0 = Math.max(0, Math.floor(Math.min(ay, by) - reach));
  const y1 = Math.min(size - 1, Math.floor(Math.max(ay, by) + reach));
  const dx = bx - ax, dy = by - ay;
  const len2 = dx * dx + dy * dy;
  for (let i = y0; i <= y1; i++) {
    const cy = i + 0.5;
    for (let j = x0; j <= x1; j++) {
      const cx = j + 0.5;
      let t = len2 > 0 ? ((cx - ax) * dx + (cy - ay) * dy) / len2 : 0;
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      const ex = cx - (ax + t * dx), ey = cy - (ay + t * dy);
      const cover = radius + 0.5 - Math.sqrt(ex * ex + ey * ey);
      if (cover <= 0) continue;
      const v = cover > 1 ? 1 : cover;
      const idx = i * size + j;
      if (v > (out[idx] as number)) out[idx] = v;
    }
  }
}
