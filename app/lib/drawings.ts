// Everyone's strokes of the current game, keyed by round then player. Immutable updates
// so React re-renders only what changed.
import type { DrawingView, Stroke } from "../../protocol";

export type Drawings = Readonly<Record<string, Readonly<Record<string, readonly Stroke[]>>>>;

export const noDrawings: Drawings = {};

export function fromSnapshot(views: readonly DrawingView[]): Drawings {
  const out: Record<string, Record<string, readonly Stroke[]>> = {};
  for (const v of views) (out[v.roundId] ??= {})[v.playerId] = v.strokes;
  return out;
}

export function strokesOf(d: Drawings, roundId: string | undefined, playerId: string): readonly Stroke[] {
  return (roundId && d[roundId]?.[playerId]) || [];
}

function withStrokes(d: Drawings, roundId: string, playerId: string, strokes: readonly Stroke[]): Drawings {
  return { ...d, [roundId]: { ...d[roundId], [playerId]: strokes } };
}

/** Appends a stroke unless one with its id is already there (echoes and re-sends). */
export function addStroke(d: Drawings, roundId: string, playerId: string, stroke: Stroke): Drawings {
  const current = strokesOf(d, roundId, playerId);
  if (current.some((s) => s.id === stroke.id)) return d;
  return withStrokes(d, roundId, playerId, [...current, stroke]);
}

export function removeStrokes(d: Drawings, roundId: string, playerId: string, ids: readonly string[]): Drawings {
  const current = strokesOf(d, roundId, playerId);
  const gone = new Set(ids);
  const next = current.filter((s) => !gone.has(s.id));
  return next.length === current.length ? d : withStrokes(d, roundId, playerId, next);
}

/** Server-known strokes followed by the ones still waiting to be sent, without repeats. */
export function mergePending(known: readonly Stroke[], pending: readonly Stroke[]): readonly Stroke[] {
  if (!pending.length) return known;
  const ids = new Set(known.map((s) => s.id));
  const extra = pending.filter((s) => !ids.has(s.id));
  return extra.length ? [...known, ...extra] : known;
}

/** When the AI recognized each doodle, as the server confirmed: roundId -> playerId -> ms into the round. */
export type Recognitions = Readonly<Record<string, Readonly<Record<string, number>>>>;

export const noRecognitions: Recognitions = {};

export function recognitionsFromSnapshot(views: readonly DrawingView[]): Recognitions {
  const out: Record<string, Record<string, number>> = {};
  for (const v of views) if (typeof v.recognizedAtMs === "number") (out[v.roundId] ??= {})[v.playerId] = v.recognizedAtMs;
  return out;
}

/** Records a recognition; the first one stands. */
export function addRecognition(r: Recognitions, roundId: string, playerId: string, atMs: number): Recognitions {
  if (r[roundId]?.[playerId] !== undefined) return r;
  return { ...r, [roundId]: { ...r[roundId], [playerId]: atMs } };
}

export function recognitionOf(r: Recognitions, roundId: string | undefined, playerId: string): number | null {
  return roundId ? (r[roundId]?.[playerId] ?? null) : null;
}
