// Which doodles dance, with the captions shown as the morph passes through them.
import type { DanceCodes, DanceStep, RoomView } from "../../protocol";
import { strokesOf, type Drawings } from "./drawings";
import type { DanceDoodle } from "./dance-frames";

function doodleOf(room: RoomView, drawings: Drawings, step: DanceStep): DanceDoodle {
  const who = room.players.find((p) => p.id === step.playerId)?.nickname ?? "Someone";
  const word = room.rounds.find((r) => r.id === step.roundId)?.word ?? "doodle";
  return { key: `${step.roundId}/${step.playerId}`, caption: `${who}'s ${word}`, strokes: strokesOf(drawings, step.roundId, step.playerId) };
}

/** The plan's doodles in its order, with the server's codes once known (a doodle this browser has no strokes of is left out). */
export function planDoodles(room: RoomView, drawings: Drawings, steps: readonly DanceStep[], codes?: DanceCodes | null): DanceDoodle[] {
  return steps
    .map((s, i): DanceDoodle => {
      const d = doodleOf(room, drawings, s), value = codes?.values[i];
      return value ? { ...d, code: { version: codes.version, value: Float32Array.from(value) } } : d;
    })
    .filter((d) => d.strokes.length > 0);
}

/** Every doodle of the game so far, round by round, for "morph any two". */
export function gameDoodles(room: RoomView, drawings: Drawings): DanceDoodle[] {
  return room.rounds.flatMap((r) =>
    room.players.map((p) => doodleOf(room, drawings, { roundId: r.id, playerId: p.id })).filter((d) => d.strokes.length > 0),
  );
}
