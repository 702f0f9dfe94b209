// Pointer positions -> Quick, Draw! points. Pure functions plus one small accumulator, so
// the canvas component only forwards events.
import { COORD_MAX, MAX_POINTS_PER_STROKE, MAX_STROKE_TIME_MS, type Point } from "../../protocol";

export type Box = { left: number; top: number; width: number; height: number };

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/** Maps a client-space position inside `box` to integer coordinates in 0..COORD_MAX. */
export function toBoxPoint(clientX: number, clientY: number, box: Box, t: number): Point {
  const x = Math.round(((clientX - box.left) / box.width) * COORD_MAX);
  const y = Math.round(((clientY - box.top) / box.height) * COORD_MAX);
  return [clamp(x, 0, COORD_MAX), clamp(y, 0, COORD_MAX), clamp(Math.round(t), 0, MAX_STROKE_TIME_MS)];
}

/**
 * Collects the points of one pen-down..pen-up gesture. Consecutive points at the same
 * spot are dropped (t never goes backwards), and a gesture longer than
 * MAX_POINTS_PER_STROKE is cut into several strokes; each continuation starts at the
 * previous piece's last point so the line stays unbroken.
 */
export class StrokeCapture {
  private points: Point[] = [];
  private readonly done: Point[][] = [];

  constructor(private readonly maxPoints = MAX_POINTS_PER_STROKE) {}

  /** Returns true when the point was kept (i.e. the pen moved). */
  add(p: Point): boolean {
    const last = this.points[this.points.length - 1];
    if (last && last[0] === p[0] && last[1] === p[1]) return false;
    const point: Point = last && p[2] < last[2] ? [p[0], p[1], last[2]] : p;
    if (this.points.length === this.maxPoints) {
      this.done.push(this.points);
      this.points = [this.points[this.points.length - 1]!];
    }
    this.points.push(point);
    return true;
  }

  /** The last kept point, to draw the next segment from. */
  lastPoint(): Point | undefined {
    return this.points[this.points.length - 1];
  }

  /** The gesture so far, as strokes (for redrawing it without ending it). */
  pieces(): Point[][] {
    return this.points.length ? [...this.done, this.points] : [...this.done];
  }

  /** Ends the gesture and returns its strokes' points (empty if nothing was drawn). */
  finish(): Point[][] {
    const all = this.pieces();
    this.points = [];
    this.done.length = 0;
    return all;
  }
}

/** A stroke id the server accepts (8-64 of [A-Za-z0-9_-]); random, so re-sends stay idempotent. */
export function newStrokeId(): string {
  if (typeof crypto !== "undefined" && typeof crypto.randomUUID === "function") {
    return crypto.randomUUID().replace(/-/g, "");
  }
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
