// Fidelity of a reconstruction to the doodle it came from, with measures that blur cannot fool:
// where the ink is, not how grey it is on average. Both work on thresholded ink maps, so a soft
// blob that covers a stroke and its surroundings scores as far-off ink, not as "close on average".
// Pure TS on row-major side x side maps (0..1); distances in the Quick, Draw! 256-unit box.
import { RASTER_BOX_UNITS } from "./rasterize";

/** Ink is coverage above one half: where the rasterizer's pen centre passes within half a width. */
export const INK_THRESHOLD = 0.5;

function inkPoints(map: Float32Array, side: number): { xs: Float32Array; ys: Float32Array } {
  let n = 0;
  for (let i = 0; i < map.length; i++) if ((map[i] as number) > INK_THRESHOLD) n++;
  const xs = new Float32Array(n), ys = new Float32Array(n);
  let k = 0;
  for (let i = 0; i < map.length; i++) {
    if ((map[i] as number) > INK_THRESHOLD) {
      xs[k] = (i % side) + 0.5;
      ys[k++] = Math.floor(i / side) + 0.5;
    }
  }
  return { xs, ys };
}

function meanNearest(a: { xs: Float32Array; ys: Float32Array }, b: { xs: Float32Array; ys: Float32Array }): number {
  let sum = 0;
  for (let i = 0; i < a.xs.length; i++) {
    let best = Infinity;
    const x = a.xs[i] as number, y = a.ys[i] as number;
    for (let j = 0; j < b.xs.length; j++) {
      const dx = x - (b.xs[j] as number), dy = y - (b.ys[j] as number);
      const d = dx * dx + dy * dy;
      if (d < best) best = d;
    }
    sum += Math.sqrt(best);
  }
  return sum / a.xs.length;
}

/**
 * Symmetric chamfer distance between the ink of two maps: the mean, over both directions, of each
 * ink pixel's distance to the nearest ink pixel of the other map, in 256-box units. A map with no
 * ink against one with ink is as far as the box's diagonal; two empty maps are 0 apart.
 */
export function chamferDistance(a: Float32Array, b: Float32Array, side: number): number {
  const pa = inkPoints(a, side), pb = inkPoints(b, side);
  const unit = RASTER_BOX_UNITS / side;
  if (pa.xs.length === 0 && pb.xs.length === 0) return 0;
  if (pa.xs.length === 0 || pb.xs.length === 0) return 256 * Math.SQRT2;
  return ((meanNearest(pa, pb) + meanNearest(pb, pa)) / 2) * unit;
}

/** Intersection over union of the ink (coverage > one half) of two maps; 1 for two empty maps. */
export function inkIoU(a: Float32Array, b: Float32Array): number {
  let inter = 0, union = 0;
  for (let i = 0; i < a.length; i++) {
    const ia = (a[i] as number) > INK_THRESHOLD, ib = (b[i] as number) > INK_THRESHOLD;
    if (ia && ib) inter++;
    if (ia || ib) union++;
  }
  return union === 0 ? 1 : inter / union;
}
