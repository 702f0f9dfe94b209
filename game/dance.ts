// The dance's timing: pure functions of elapsed time, so every browser that reads the same
// server clock shows the same frame, and the rules (room.ts) know how long a loop lasts.
// A loop of n doodles has n segments; segment i holds doodle i, then morphs it into doodle i + 1
// (the last one morphs back into the first).
import { DANCE_HOLD_MS, DANCE_MORPH_MS } from "../protocol";

/** Slow in, slow out (half a cosine): the doodle lingers near each original, moves fast between. */
export function easeInOut(t: number): number {
  const c = t <= 0 ? 0 : t >= 1 ? 1 : t;
  return 0.5 - 0.5 * Math.cos(Math.PI * c);
}

export type DanceTiming = { holdMs: number; morphMs: number };
export const DANCE_TIMING: DanceTiming = { holdMs: DANCE_HOLD_MS, morphMs: DANCE_MORPH_MS };

export function segmentMs(timing: DanceTiming): number {
  return timing.holdMs + timing.morphMs;
}

/** One full loop through `count` doodles. */
export function loopMs(count: number, timing: DanceTiming = DANCE_TIMING): number {
  return Math.max(1, count) * segmentMs(timing);
}

export type DanceMoment = {
  /** Segment index: morphing from doodle `from` to doodle `to`. */
  segment: number;
  from: number;
  to: number;
  /** Eased position along the morph, 0 (at `from`) to 1 (at `to`). */
  t: number;
};

/**
 * The moment `elapsedMs` after the dance started. Before the start it waits on the first doodle;
 * a single doodle just stands there.
 */
export function danceMoment(elapsedMs: number, count: number, timing: DanceTiming = DANCE_TIMING): DanceMoment {
  if (count <= 1 || elapsedMs <= 0) return { segment: 0, from: 0, to: count > 1 ? 1 : 0, t: 0 };
  const seg = segmentMs(timing);
  const inLoop = elapsedMs % (count * seg);
  const segment = Math.floor(inLoop / seg);
  const inSegment = inLoop - segment * seg;
  const raw = inSegment <= timing.holdMs ? 0 : (inSegment - timing.holdMs) / timing.morphMs;
  return { segment, from: segment, to: (segment + 1) % count, t: easeInOut(raw) };
}

/** Which two computed frames (of `frames` per morph) surround position t, and how far between them. */
export function framePair(t: number, frames: number): { index: number; next: number; blend: number } {
  const pos = Math.min(1, Math.max(0, t)) * (frames - 1);
  const index = Math.min(frames - 1, Math.floor(pos));
  return { index, next: Math.min(frames - 1, index + 1), blend: pos - index };
}

/** Whose doodle the dance is closest to: the label shown as the morph passes through it. */
export function nearestDoodle(m: DanceMoment): number {
  return m.t < 0.5 ? m.from : m.to;
}

/**
 * The local playhead: in step with the room (elapsed = server time - start) until the player
 * pauses or changes the speed, then on its own until they re-sync.
 */
export type Playhead =
  | { kind: "synced" }
  | { kind: "local"; anchorLocal: number; anchorElapsed: number; speed: number; paused: boolean };

export function playheadElapsed(p: Playhead, serverNow: number, startsAt: number, localNow: number): number {
  if (p.kind === "synced") return serverNow - startsAt;
  return p.paused ? p.anchorElapsed : p.anchorElapsed + (localNow - p.anchorLocal) * p.speed;
}

/** Pause, play or a new speed, keeping the current position (no jump). */
export function retime(
  p: Playhead,
  change: { paused?: boolean; speed?: number },
  serverNow: number,
  startsAt: number,
  localNow: number,
): Playhead {
  const here = playheadElapsed(p, serverNow, startsAt, localNow);
  const current = p.kind === "local" ? p : { speed: 1, paused: false };
  return {
    kind: "local",
    anchorLocal: localNow,
    anchorElapsed: here,
    speed: change.speed ?? current.speed,
    paused: change.paused ?? current.paused,
  };
}
