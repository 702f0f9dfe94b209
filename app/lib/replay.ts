// A doodle replayed as it was drawn, from its points' stored times ([x, y, t], t in ms since the
// round started). The timeline maps every point to the moment the replay reaches it: sped up, with
// every pause (pen up between strokes, or held still) cut to at most MAX_IDLE_MS of watching, so a
// replay never sits idle. Pure: the player (ReplayPlayer.tsx) and the GIF (replay-gif.ts) share it.
import type { Point, Stroke } from "../../protocol";

export const REPLAY_SPEEDS = [1, 2, 4] as const;
export type ReplaySpeed = (typeof REPLAY_SPEEDS)[number];
/** A typical 20 s doodle (about 10 s of pen moving) replays in 3-4 s. */
export const DEFAULT_REPLAY_SPEED: ReplaySpeed = 4;
/** The longest the replay shows nothing new, in ms of watching. */
export const MAX_IDLE_MS = 300;
/** The blank page before the first point, so a replay visibly starts from nothing. */
export const LEAD_IN_MS = 200;

export type ReplayOptions = { speed?: number; maxIdleMs?: number; leadInMs?: number };

export type Timeline = {
  strokes: readonly Stroke[];
  /** Replay ms at which the pen reaches each point, all strokes' points in order; never decreasing. */
  times: readonly number[];
  /** Index in `times` of each stroke's first point. */
  firsts: readonly number[];
  /** When the last point is reached (0 for an empty doodle). */
  durationMs: number;
};

export function replayTimeline(strokes: readonly Stroke[], opts: ReplayOptions = {}): Timeline {
  const { speed = DEFAULT_REPLAY_SPEED, maxIdleMs = MAX_IDLE_MS, leadInMs = LEAD_IN_MS } = opts;
  if (!(speed > 0)) throw new Error(`a replay's speed must be above 0, not ${speed}`);
  const times: number[] = [];
  const firsts: number[] = [];
  let clock = leadInMs;
  // Stored times should rise, but a clock step or a re-sent stroke could break that: a point
  // before its predecessor is drawn at the same moment instead of rewinding the replay.
  let prevT: number | null = null;
  for (const { points } of strokes) {
    firsts.push(times.length);
    for (const [, , rawT] of points) {
      const t: number = prevT === null ? rawT : Math.max(prevT, rawT);
      if (prevT !== null) clock += Math.min((t - prevT) / speed, maxIdleMs);
      times.push(clock);
      prevT = t;
    }
  }
  return { strokes, times, firsts, durationMs: times.length ? clock : 0 };
}

/** Last index i with times[i] <= ms (times never decrease), or -1. */
function lastReached(times: readonly number[], ms: number): number {
  let lo = 0, hi = times.length - 1, found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((times[mid] as number) <= ms) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

function between(a: Point, b: Point, f: number): Point {
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

/**
 * The doodle as it stood `ms` into the replay: every stroke begun by then, the one being drawn cut
 * where the pen is (between its two points, in proportion to the time). At the end (and after) it
 * is `strokes` itself, so the last frame is the doodle exactly.
 */
export function strokesAt(tl: Timeline, ms: number): readonly Stroke[] {
  if (ms >= tl.durationMs) return tl.strokes;
  const reached = lastReached(tl.times, ms);
  const shown: Stroke[] = [];
  for (let s = 0; s < tl.strokes.length; s++) {
    const stroke = tl.strokes[s]!;
    const first = tl.firsts[s]!, last = first + stroke.points.length - 1;
    if (first > reached) break;
    if (last <= reached) {
      shown.push(stroke);
      continue;
    }
    const i = reached - first;
    const from = tl.times[reached]!, to = tl.times[reached + 1]!;
    const f = (ms - from) / (to - from);
    const done = stroke.points.slice(0, i + 1);
    shown.push({ id: stroke.id, points: f > 0 ? [...done, between(stroke.points[i]!, stroke.points[i + 1]!, f)] : done });
    break;
  }
  return shown;
}

/**
 * The same moment of the doodle on another timeline of it (another speed): the same point, the
 * same share of the way to the next one. Keeps the picture still when the speed changes.
 */
export function retime(from: Timeline, to: Timeline, ms: number): number {
  if (ms >= from.durationMs) return to.durationMs;
  const i = lastReached(from.times, ms);
  if (i < 0) return (ms / Math.max(1, from.times[0] ?? 0)) * (to.times[0] ?? 0);
  const a = from.times[i]!, b = from.times[i + 1]!;
  const f = b > a ? (ms - a) / (b - a) : 0;
  return to.times[i]! + f * (to.times[i + 1]! - to.times[i]!);
}
