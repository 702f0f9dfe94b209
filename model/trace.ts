// Turns a generated ink map (the model's 28x28 output) back into pen strokes: centre lines that can
// be drawn with the game's pen at any size. Upsampling a 28-pixel map gives strokes ~1/19 of the
// picture wide, five times the pen's; the centre line keeps the shape and drops the width.
// Steps: bilinear upsampling, threshold, Zhang-Suen thinning to a one-pixel skeleton, the
// skeleton's pixels linked into polylines, which are smoothed to undo the pixel staircase.
// Pure TS: the browser draws the polylines, Node rasterizes them for evaluation and the GIF.

import { stampSegment } from "./rasterize";

/** A polyline: x0, y0, x1, y1, ... in units of the ink map's side (0..1 across the map). */
export type Polyline = Float32Array;
export type PenFrame = Polyline[];

export const TRACE_UPSCALE = 4;
/** Coverage above which upsampled ink counts as stroke: a little under one half keeps faint strokes. */
export const TRACE_THRESHOLD = 0.45;
/** Skeleton pieces shorter than this (in upsampled pixels) that touch nothing are specks, not strokes. */
const MIN_LONE_LENGTH = 3;
const SMOOTHING_PASSES = 3;

function upsample(ink: Float32Array, side: number, k: number): Uint8Array {
  const n = side * k, out = new Uint8Array(n * n);
  for (let y = 0; y < n; y++) {
    const sy = (y + 0.5) / k - 0.5, y0 = Math.max(0, Math.floor(sy)), y1 = Math.min(side - 1, y0 + 1), fy = Math.min(1, Math.max(0, sy - y0));
    for (let x = 0; x < n; x++) {
      const sx = (x + 0.5) / k - 0.5, x0 = Math.max(0, Math.floor(sx)), x1 = Math.min(side - 1, x0 + 1), fx = Math.min(1, Math.max(0, sx - x0));
      const top = (ink[y0 * side + x0] as number) * (1 - fx) + (ink[y0 * side + x1] as number) * fx;
      const bottom = (ink[y1 * side + x0] as number) * (1 - fx) + (ink[y1 * side + x1] as number) * fx;
      out[y * n + x] = top * (1 - fy) + bottom * fy > TRACE_THRESHOLD ? 1 : 0;
    }
  }
  return out;
}

/** Zhang-Suen thinning in place: erodes the binary image to a one-pixel-wide, connected skeleton. */
export function thin(img: Uint8Array, n: number): Uint8Array {
  const remove: number[] = [];
  for (let changed = true; changed; ) {
    changed = false;
    for (const pass of [0, 1]) {
      remove.length = 0;
      for (let y = 1; y < n - 1; y++) {
        for (let x = 1; x < n - 1; x++) {
          const i = y * n + x;
          if (!img[i]) continue;
          // Neighbours clockwise from north: p2..p9.
          const p2 = img[i - n]!, p3 = img[i - n + 1]!, p4 = img[i + 1]!, p5 = img[i + n + 1]!;
          const p6 = img[i + n]!, p7 = img[i + n - 1]!, p8 = img[i - 1]!, p9 = img[i - n - 1]!;
          const b = p2 + p3 + p4 + p5 + p6 + p7 + p8 + p9;
          if (b < 2 || b > 6) continue;
          const a = +(!p2 && p3) + +(!p3 && p4) + +(!p4 && p5) + +(!p5 && p6) + +(!p6 && p7) + +(!p7 && p8) + +(!p8 && p9) + +(!p9 && p2);
          if (a !== 1) continue;
          if (pass === 0 ? p2 * p4 * p6 || p4 * p6 * p8 : p2 * p4 * p8 || p2 * p6 * p8) continue;
          remove.push(i);
        }
      }
      for (const i of remove) img[i] = 0;
      if (remove.length) changed = true;
    }
  }
  return img;
}

/**
 * The skeleton's links: 4-neighbours always, diagonals only where no 4-neighbour path joins the
 * two pixels already (otherwise every corner would become a small triangle).
 */
function neighbours(img: Uint8Array, n: number, i: number): number[] {
  const x = i % n, y = (i - x) / n, out: number[] = [];
  const on = (dx: number, dy: number) => x + dx >= 0 && x + dx < n && y + dy >= 0 && y + dy < n && img[i + dy * n + dx] === 1;
  for (const [dx, dy] of [[1, 0], [-1, 0], [0, 1], [0, -1]] as const) if (on(dx, dy)) out.push(i + dy * n + dx);
  for (const [dx, dy] of [[1, 1], [1, -1], [-1, 1], [-1, -1]] as const) {
    if (on(dx, dy) && !on(dx, 0) && !on(0, dy)) out.push(i + dy * n + dx);
  }
  return out;
}

/** Links skeleton pixels into polylines: runs between ends and junctions, then closed loops. */
function polylines(img: Uint8Array, n: number): number[][] {
  const adj = new Map<number, number[]>();
  for (let i = 0; i < img.length; i++) if (img[i]) adj.set(i, neighbours(img, n, i));
  const used = new Set<string>();
  const edge = (a: number, b: number) => (a < b ? `${a}:${b}` : `${b}:${a}`);
  const lines: number[][] = [];
  const walk = (start: number, next: number) => {
    const line = [start];
    let prev = start, cur = next;
    used.add(edge(prev, cur));
    for (;;) {
      line.push(cur);
      const links = adj.get(cur)!;
      if (links.length !== 2) break;
      const ahead = links[0] === prev ? links[1]! : links[0]!;
      if (used.has(edge(cur, ahead))) break;
      used.add(edge(cur, ahead));
      prev = cur;
      cur = ahead;
    }
    return line;
  };
  for (const [i, links] of adj) {
    if (links.length === 0) lines.push([i]);
    if (links.length === 2) continue;
    for (const j of links) if (!used.has(edge(i, j))) lines.push(walk(i, j));
  }
  // What is left are loops of degree-2 pixels (an "o").
  for (const [i, links] of adj) {
    for (const j of links) if (!used.has(edge(i, j))) lines.push(walk(i, j));
  }
  return lines;
}

/** Moves inner points towards their neighbours' mean (ends stay), undoing the pixel steps. */
function smooth(xs: Float32Array): Float32Array {
  const points = xs.length / 2;
  const closed = points > 3 && xs[0] === xs[xs.length - 2] && xs[1] === xs[xs.length - 1];
  let cur = xs;
  for (let pass = 0; pass < SMOOTHING_PASSES; pass++) {
    const next = cur.slice();
    for (let p = closed ? 0 : 1; p < (closed ? points - 1 : points - 1); p++) {
      const before = p === 0 ? points - 2 : p - 1, after = p + 1;
      for (const o of [0, 1]) next[2 * p + o] = 0.25 * (cur[2 * before + o] as number) + 0.5 * (cur[2 * p + o] as number) + 0.25 * (cur[2 * after + o] as number);
    }
    if (closed) { next[2 * points - 2] = next[0]!; next[2 * points - 1] = next[1]!; }
    cur = next;
  }
  return cur;
}

/** The centre lines of a side x side ink map (0..1, row-major), in units of the map's side. */
export function traceInk(ink: Float32Array, side: number): PenFrame {
  const n = side * TRACE_UPSCALE;
  const img = thin(upsample(ink, side, TRACE_UPSCALE), n);
  const frame: PenFrame = [];
  for (const line of polylines(img, n)) {
    const lone = line.length < MIN_LONE_LENGTH && line.every((i) => (neighbours(img, n, i).length) <= 1);
    if (lone) continue;
    const xy = new Float32Array(line.length * 2);
    line.forEach((i, k) => {
      xy[2 * k] = ((i % n) + 0.5) / n;
      xy[2 * k + 1] = (Math.floor(i / n) + 0.5) / n;
    });
    frame.push(smooth(xy));
  }
  return frame;
}

/** Total length of a frame's lines, in units of the map's side. */
export function penLength(frame: PenFrame): number {
  let total = 0;
  for (const line of frame) {
    for (let k = 2; k < line.length; k += 2) total += Math.hypot((line[k] as number) - (line[k - 2] as number), (line[k + 1] as number) - (line[k - 1] as number));
  }
  return total;
}

/**
 * Draws a frame's lines into a size x size coverage map (0..1, anti-aliased, round caps), `width`
 * in units of the map's side: the pen look as a bitmap, for the GIF and for evaluation.
 */
export function rasterizePen(frame: PenFrame, size: number, width: number, out = new Float32Array(size * size)): Float32Array {
  out.fill(0);
  const radius = (width * size) / 2;
  for (const line of frame) {
    if (line.length === 2) stampSegment(out, size, line[0]! * size, line[1]! * size, line[0]! * size, line[1]! * size, radius, radius + 0.5);
    for (let k = 2; k < line.length; k += 2) {
      stampSegment(out, size, line[k - 2]! * size, line[k - 1]! * size, line[k]! * size, line[k + 1]! * size, radius, radius + 0.5);
    }
  }
  return out;
}
