// How many votes remove a player, and which still count: read by the vote (vote-kick.ts) and shown
// in the room's view (room.ts). Only seats' ids and presence matter, so this module needs neither.

/** What the tallies read of a seat. */
export type Presence = { id: string; connected: boolean };

/** At least two voters, so one player can never throw another out alone. */
export const MIN_KICK_VOTES = 2;

/** A majority of the other connected players, and at least MIN_KICK_VOTES. */
export function kickVotesNeeded(seats: readonly Presence[], targetId: string): number {
  const others = seats.filter((p) => p.id !== targetId && p.connected).length;
  return Math.max(MIN_KICK_VOTES, Math.floor(others / 2) + 1);
}

/** Votes that still count: from players who are seated and connected now. */
export function activeKickVotes(seats: readonly Presence[], votes: readonly string[]): number {
  return votes.filter((voter) => seats.some((p) => p.id === voter && p.connected)).length;
}
