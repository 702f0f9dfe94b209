// How many votes remove a player, and which still count: read by the vote (vote-kick.ts) and shown
// in the room's view (room.ts). Votes count per network, not per seat: two sockets of one outsider
// are one voice, and the target's own network has no say. Only seats' ids, presence and networks
// matter, so this module needs neither of those two.

/** What the tallies read of a seat. */
export type Presence = { id: string; connected: boolean; address?: string };

/** At least two voters, so one player can never throw another out alone. */
export const MIN_KICK_VOTES = 2;

/** A seat's network; a seat from before addresses were kept counts as a network of its own. */
export const networkOf = (seat: Presence): string => seat.address ?? `seat:${seat.id}`;

/** The networks of connected players other than the target's own (its housemates don't vote on it). */
function voterNetworks(seats: readonly Presence[], target: Presence, among: (seat: Presence) => boolean): number {
  const own = networkOf(target);
  return new Set(seats.filter((p) => p.connected && among(p)).map(networkOf).filter((n) => n !== own)).size;
}

/** A majority of the other connected players' networks, and at least MIN_KICK_VOTES. */
export function kickVotesNeeded(seats: readonly Presence[], targetId: string): number {
  const target = seats.find((p) => p.id === targetId);
  const others = target ? voterNetworks(seats, target, () => true) : 0;
  return Math.max(MIN_KICK_VOTES, Math.floor(others / 2) + 1);
}

/** Votes that still count, one per network: from players who are seated and connected now. */
export function activeKickVotes(seats: readonly Presence[], target: Presence, votes: readonly string[]): number {
  return voterNetworks(seats, target, (p) => votes.includes(p.id));
}
