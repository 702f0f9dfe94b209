// Live ink: the points of a stroke still being drawn, so friends watch the line follow the pen.
// Batches are the hottest messages in the game (30 a second per drawing player, times the room),
// so they travel as flat tuples rather than objects, carry no ack, and are checked by one plain loop.
// The finished stroke (stroke:add, same id) replaces them: it is what is stored and scored.
import { COORD_MAX, MAX_LIVE_POINTS_PER_BATCH, MAX_POINTS_PER_STROKE, MAX_STROKE_TIME_MS } from "./limits";

/** Point in messages.ts, restated here so messages.ts can name these types without an import cycle. */
type Point = [x: number, y: number, t: number];

/** Client -> server: [strokeId, from, points], `from` = index of the batch's first point in the stroke, points flat x,y,t,... */
export type LiveBatch = [strokeId: string, from: number, points: number[]];
/** Server -> the room's other sockets: the batch with whose stroke it is. The round is the one being drawn. */
export type LiveInk = [playerId: string, strokeId: string, from: number, points: number[]];

const STROKE_ID = /^[A-Za-z0-9_-]{8,64}$/;

/** Why a batch is malformed (a sentence for the sender), or null when it is well formed. */
export function liveBatchProblem(value: unknown): string | null {
  if (!Array.isArray(value) || value.length !== 3) return "ink:live must be [strokeId, from, points]";
  const [id, from, points] = value as unknown[];
  if (typeof id !== "string" || !STROKE_ID.test(id)) return "ink:live: stroke id must be 8-64 letters, digits, _ or -";
  if (!Number.isInteger(from) || (from as number) < 0) return "ink:live: from must be a whole number >= 0";
  if (!Array.isArray(points) || points.length === 0 || points.length % 3 !== 0) {
    return "ink:live: points must be x, y, t triples, flat";
  }
  const count = points.length / 3;
  if (count > MAX_LIVE_POINTS_PER_BATCH) return `ink:live: at most ${MAX_LIVE_POINTS_PER_BATCH} points a batch`;
  if ((from as number) + count > MAX_POINTS_PER_STROKE) return `ink:live: a stroke has at most ${MAX_POINTS_PER_STROKE} points`;
  for (let i = 0; i < points.length; i += 3) {
    const x = points[i], y = points[i + 1], t = points[i + 2];
    if (!Number.isInteger(x) || (x as number) < 0 || (x as number) > COORD_MAX) return "ink:live: x must be in 0..255";
    if (!Number.isInteger(y) || (y as number) < 0 || (y as number) > COORD_MAX) return "ink:live: y must be in 0..255";
    if (!Number.isInteger(t) || (t as number) < 0 || (t as number) > MAX_STROKE_TIME_MS) return "ink:live: t out of range";
  }
  return null;
}

export function flatPoints(points: readonly Point[]): number[] {
  const flat = new Array<number>(points.length * 3);
  points.forEach(([x, y, t], i) => {
    flat[i * 3] = x;
    flat[i * 3 + 1] = y;
    flat[i * 3 + 2] = t;
  });
  return flat;
}

export function pointsOf(flat: readonly number[]): Point[] {
  const points: Point[] = [];
  for (let i = 0; i + 2 < flat.length; i += 3) points.push([flat[i]!, flat[i + 1]!, flat[i + 2]!]);
  return points;
}

/**
 * A live stroke's points after a batch: appended when it continues where they end, its new tail
 * when it overlaps them (a re-send after a reconnect starts again at 0), unchanged when it would
 * leave a gap (a lost batch: the finished stroke fills it in). Returns null when nothing changed.
 */
export function extendLive(current: readonly number[], from: number, points: readonly number[]): number[] | null {
  const have = current.length / 3;
  const count = points.length / 3;
  if (from > have || from + count <= have) return null;
  return [...current, ...points.slice((have - from) * 3)];
}
