// Scoring hooks: the server counts what each player drew, checks the AI's recognitions, and asks
// these rules for points.
import type { Round } from "./room";

/** Points for finishing a doodle at all. */
export const POINTS_FOR_A_DOODLE = 10;
/** The AI recognizing the doodle at all (its top guess was the word)... */
export const RECOGNITION_POINTS = 5;
/** ...plus up to this much more, falling linearly from recognition at once to recognition at the buzzer. */
export const FAST_RECOGNITION_POINTS = 10;

/** Bonus for a doodle the AI recognized `atMs` after a round of `roundMs` started; 0 if it never did. */
export function recognitionBonus(atMs: number | null | undefined, roundMs: number): number {
  if (atMs === null || atMs === undefined || !(roundMs > 0)) return 0;
  const early = Math.min(1, Math.max(0, 1 - atMs / roundMs));
  return RECOGNITION_POINTS + Math.round(FAST_RECOGNITION_POINTS * early);
}

/**
 * Points per drawer of an ended round: a non-empty doodle scores, a recognized one scores the
 * recognition bonus on top. `recognizedAtMs` holds only recognitions the server checked itself.
 */
export function scoreDoodles(
  round: Round,
  strokeCounts: Record<string, number>,
  recognizedAtMs: Record<string, number | null> = {},
): Record<string, number> {
  const roundMs = (round.endedAt ?? round.startedAt) - round.startedAt;
  return Object.fromEntries(
    round.drawers.map((id) => {
      if ((strokeCounts[id] ?? 0) === 0) return [id, 0];
      return [id, POINTS_FOR_A_DOODLE + recognitionBonus(recognizedAtMs[id], roundMs)];
    }),
  );
}

/** The rules above in players' words, shown where scores are. */
export const SCORING_EXPLAINED =
  `${POINTS_FOR_A_DOODLE} points for each doodle you draw, and ${RECOGNITION_POINTS} to ` +
  `${RECOGNITION_POINTS + FAST_RECOGNITION_POINTS} more when the AI recognizes it: the sooner, the more.`;
