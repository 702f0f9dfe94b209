// Vote-kick: the room removes a disruptive player. Pure rules like room.ts: votes live on the
// target's seat, so they survive a server hand-over with the rest of the state. Votes count per
// network, not per seat: two sockets of one outsider are one voice (game/kick-votes.ts).
import type { ProtocolError } from "../protocol";
import { leave, type Outcome, type RoomState } from "./room";
import { activeKickVotes, kickVotesNeeded } from "./kick-votes";
import { keepOut } from "./seat-limits";

const refuse = (code: ProtocolError["code"], message: string): Outcome => ({ ok: false, error: { code, message } });

export function voteKick(state: RoomState, voterId: string, targetId: string, now: number): Outcome {
  if (!state.seats.some((p) => p.id === voterId)) return refuse("not_in_room", "You are not in this room.");
  if (voterId === targetId) return refuse("bad_request", "You can't vote to remove yourself; leave the room instead.");
  const s = structuredClone(state);
  const target = s.seats.find((p) => p.id === targetId);
  if (!target) return refuse("not_found", "That player is not in this room any more.");
  if (!target.kickVotes.includes(voterId)) target.kickVotes.push(voterId);
  if (activeKickVotes(s.seats, target, target.kickVotes) < kickVotesNeeded(s.seats, targetId)) return { ok: true, state: s, effects: [] };
  const removed = leave(s, targetId);
  if (!removed.ok) return removed;
  keepOut(removed.state, target.address, now);
  return { ...removed, effects: removed.effects.map((e) => (e.type === "seatRemoved" ? { ...e, kicked: true } : e)) };
}
