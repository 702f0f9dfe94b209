// Vote-kick: the room removes a disruptive player. Pure rules like room.ts: votes live on the
// target's seat, so they survive a server hand-over with the rest of the state.
import type { ProtocolError } from "../protocol";
import { leave, type Outcome, type RoomState, type Seat } from "./room";

/** At least two voters, so one player can never throw another out alone. */
export const MIN_KICK_VOTES = 2;

/** A majority of the other connected players, and at least MIN_KICK_VOTES. */
export function kickVotesNeeded(state: RoomState, targetId: string): number {
  const others = state.seats.filter((p) => p.id !== targetId && p.connected).length;
  return Math.max(MIN_KICK_VOTES, Math.floor(others / 2) + 1);
}

/** Votes that still count: from players who are seated and connected now. */
export function activeKickVotes(state: RoomState, target: Seat): number {
  return target.kickVotes.filter((voter) => state.seats.some((p) => p.id === voter && p.connected)).length;
}

const refuse = (code: ProtocolError["code"], message: string): Outcome => ({ ok: false, error: { code, message } });

export function voteKick(state: RoomState, voterId: string, targetId: string): Outcome {
  if (!state.seats.some((p) => p.id === voterId)) return refuse("not_in_room", "You are not in this room.");
  if (voterId === targetId) return refuse("bad_request", "You can't vote to remove yourself; leave the room instead.");
  const s = structuredClone(state);
  const target = s.seats.find((p) => p.id === targetId);
  if (!target) return refuse("not_found", "That player is not in this room any more.");
  if (!target.kickVotes.includes(voterId)) target.kickVotes.push(voterId);
  if (activeKickVotes(s, target) < kickVotesNeeded(s, targetId)) return { ok: true, state: s, effects: [] };
  const removed = leave(s, targetId);
  if (!removed.ok) return removed;
  return { ...removed, effects: removed.effects.map((e) => (e.type === "seatRemoved" ? { ...e, kicked: true } : e)) };
}
