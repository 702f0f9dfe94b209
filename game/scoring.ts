// Scoring hooks: the server counts what each player drew and asks these rules for points.
import type { Round } from "./room";

/** Points for finishing a doodle at all; the AI-recognition bonus builds on this later. */
export const POINTS_FOR_A_DOODLE = 10;

export function scoreDoodles(round: Round, strokeCounts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    round.drawers.map((id) => [id, (strokeCounts[id] ?? 0) > 0 ? POINTS_FOR_A_DOODLE : 0]),
  );
}
