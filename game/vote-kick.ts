// Vote-kick: the room removes a disruptive player. Pure rules like room.ts: votes live on the
// target's seat, so they survive a server hand-over with the rest of the state. Votes count per
// network, not per seat: two sockets of one outsider are one voice (game/seat-limits.ts).
import type { ProtocolError } from "../protocol";
import { leave, type Outcome, type RoomState, type Seat } from "./room";
import { keepOut, networkOf } from "./seat-limits";

/** At least two voters, so one player can never throw another out alone. */
export const MIN_KICK_VOTES = 2;

/** The networks of connected players other than the target's own (its housemates don't vote on it). */
function voterNetworks(state: RoomState, target: Seat, among: (seat: Seat) => boolean): number {
  const own = networkOf(target);
  return new Set(state.seats.filter((p) => p.connected && among(p)).map(networkOf).filter((n) => n !== own)).size;
}

/** A majority of the other connected players' networks, and at least MIN_KICK_VOTES. */
export function kickVotesNeeded(state: RoomState, targetId: string): number {
  const target = state.seats.find((p) => p.id === targetId);
  const others = target ? voterNetworks(state, target, () => true) : 0;
  return Math.max(MIN_KICK_VOTES, Math.floor(others / 2) + 1);
}

/** Votes that still count, one per network: from players who are seated and connected now. */
export function activeKickVotes(state: RoomState, target: Seat): number {
  return voterNetworks(state, target, (p) => target.kickVotes.includes(p.id));
}

const refuse = (code: ProtocolError["code"], message: string): Outcome => ({ ok: false, error: { code, message } });

export function voteKick(state: RoomState, voterId: string, targetId: string, now: number): Outcome {
  if (!state.seats.some((p) => p.id === voterId)) return refuse("not_in_room", "You are not in this room.");
  if (voterId === targetId) return refuse("bad_request", "You can't vote to remove yourself; leave the room instead.");
  const s = structuredClone(state);
  const target = s.seats.find((p) => p.id === targetId);
  if (!target) return refuse("not_found", "That player is not in this room any more.");
  if (!target.kickVotes.includes(voterId)) target.kickVotes.push(voterId);
  if (activeKickVotes(s, target) < kickVotesNeeded(s, targetId)) return { ok: true, state: s, effects: [] };
  const removed = leave(s, targetId);
  if (!removed.ok) return removed;
  keepOut(removed.state, target.address, now);
  return { ...removed, effects: removed.effects.map((e) => (e.type === "seatRemoved" ? { ...e, kicked: true } : e)) };
}
