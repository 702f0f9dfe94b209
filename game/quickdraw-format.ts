// Quick, Draw!'s ndjson record, so stored doodles can be exported next to the dataset's own.
import type { Point } from "../protocol";

export type QuickDrawRecord = {
  key_id: string;
  word: string;
  countrycode: string;
  timestamp: string;
  recognized: boolean;
  /** The dataset's raw format: one [xs, ys, ts] triple per stroke. */
  drawing: [number[], number[], number[]][];
};

export function toQuickDrawRecord(d: {
  drawingId: string;
  word: string;
  startedAt: Date;
  recognized: boolean;
  strokes: { points: Point[] }[];
}): QuickDrawRecord {
  return {
    key_id: d.drawingId,
    word: d.word,
    // Players have no country on record; the dataset uses two-letter codes, "ZZ" is "unknown".
    countrycode: "ZZ",
    timestamp: d.startedAt.toISOString().replace("T", " ").replace("Z", " UTC"),
    recognized: d.recognized,
    drawing: d.strokes.map((s) => [s.points.map((p) => p[0]), s.points.map((p) => p[1]), s.points.map((p) => p[2])]),
  };
}
