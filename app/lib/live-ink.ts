// Live ink in the browser: what the drawer sends while the pen is down (LiveSender), what the
// others hold of the strokes in progress (LiveStrokes), and when each point is due on screen
// (a small jitter buffer, so the line follows the pen smoothly instead of jumping per batch).
import { LIVE_BATCH_MS, MAX_LIVE_POINTS_PER_BATCH, flatPoints, newPointsFrom, pointsOf, type LiveBatch, type LiveInk, type Point } from "../../protocol";
import { newStrokeId } from "./stroke-capture";

/**
 * The drawer's side. A gesture arrives as pieces (StrokeCapture cuts long ones); each piece gets the
 * stroke id its finished stroke will have, so the others can swap the live points for it.
 */
export class LiveSender {
  private ids: string[] = [];
  private sent: number[] = [];

  constructor(private readonly newId: () => string = newStrokeId) {}

  /** The points of `pieces` not sent yet, as batches of at most MAX_LIVE_POINTS_PER_BATCH. */
  batches(pieces: readonly (readonly Point[])[]): LiveBatch[] {
    const out: LiveBatch[] = [];
    pieces.forEach((points, i) => {
      const id = (this.ids[i] ??= this.newId());
      for (let from = this.sent[i] ?? 0; from < points.length; from += MAX_LIVE_POINTS_PER_BATCH) {
        out.push([id, from, flatPoints(points.slice(from, from + MAX_LIVE_POINTS_PER_BATCH))]);
      }
      this.sent[i] = points.length;
    });
    return out;
  }

  /** After a reconnect the server has forgotten the stroke in progress: send it whole again. */
  restart(): void {
    this.sent = [];
  }

  /** Ends the gesture: the ids its `count` finished strokes must carry. */
  finish(count: number): string[] {
    const ids = Array.from({ length: count }, (_, i) => this.ids[i] ?? this.newId());
    this.ids = [];
    this.sent = [];
    return ids;
  }
}

/**
 * A stroke another player is drawing. `lag` is the smallest (arrival - point time) seen over its
 * batches: the clock offset plus the quickest delivery. A point is due at t + lag + LIVE_BATCH_MS,
 * so each batch's points play out over the time they were drawn in, at most a batch late.
 */
export type LiveStroke = { points: readonly Point[]; lag: number };
/** playerId -> strokeId -> the stroke in progress, for the round being drawn. */
export type LiveStrokes = Readonly<Record<string, PlayerLive>>;

export const noLive: LiveStrokes = {};

/** A batch arrived at local time `arrivedAt`; `finished` says whether its stroke is already whole here. */
export function addLive(live: LiveStrokes, [playerId, strokeId, from, flat]: LiveInk, arrivedAt: number, finished: boolean): LiveStrokes {
  if (finished) return live;
  const current = live[playerId]?.[strokeId];
  const skip = newPointsFrom(current?.points.length ?? 0, from, flat.length / 3);
  if (skip === null) return live;
  const points = [...(current?.points ?? []), ...pointsOf(flat.slice(skip * 3))];
  const lag = Math.min(current?.lag ?? Infinity, arrivedAt - flat[flat.length - 1]!);
  return { ...live, [playerId]: { ...live[playerId], [strokeId]: { points, lag } } };
}

/** Drops strokes in progress (finished, undone, cleared, or their drawer gone). */
export function dropLive(live: LiveStrokes, playerId: string, strokeIds: readonly string[]): LiveStrokes {
  const mine = live[playerId];
  if (!mine || !strokeIds.some((id) => id in mine)) return live;
  const kept = Object.fromEntries(Object.entries(mine).filter(([id]) => !strokeIds.includes(id)));
  return { ...live, [playerId]: kept };
}

/** One player's strokes in progress, by stroke id. */
export type PlayerLive = Readonly<Record<string, LiveStroke>>;

/** How many of the stroke's points are due on screen at local time `now`. */
export function dueCount(stroke: LiveStroke, now: number): number {
  const { points, lag } = stroke;
  let n = points.length;
  while (n > 0 && points[n - 1]![2] + lag + LIVE_BATCH_MS > now) n--;
  return n;
}
