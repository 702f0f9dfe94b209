// Who may take a seat, by network: one outsider with many sockets must not fill a room, outvote
// its players, or come straight back after being voted out. Pure rules like room.ts; the
// addresses live on the seats (and the room's state), so they survive a server hand-over.
import type { ProtocolError } from "../protocol";
import type { RoomState } from "./room";

/** How long a network whose player was voted out stays out of that room. */
export const KICKED_COOLDOWN_MS = 10 * 60 * 1000;
/** Seats one network may hold in one room unless configured (scribble.rs's clients per IP is alike). */
export const DEFAULT_SEATS_PER_ADDRESS = 4;

/** Why `address` is kept out of this room (a player from there was voted out), or null. Watching too. */
export function keptOutRefusal(state: RoomState, address: string, now: number): ProtocolError | null {
  const until = state.kickedUntil?.[address];
  if (until === undefined || until <= now) return null;
  const minutes = Math.ceil((until - now) / 60_000);
  return {
    code: "removed",
    message: `A player from your network was voted out of this room; it can be joined from here again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
  };
}

/** Why a player from `address` can't take a new seat in this room now, or null if they can. */
export function seatRefusal(state: RoomState, address: string, now: number, seatsPerAddress: number): ProtocolError | null {
  const kept = keptOutRefusal(state, address, now);
  if (kept) return kept;
  if (state.seats.filter((s) => s.address === address).length >= seatsPerAddress) {
    return {
      code: "room_full",
      message: `This room already has ${seatsPerAddress} players from your network, the most one network may seat.`,
    };
  }
  return null;
}

/** Keeps `address` out until `now` + the cool-down; forgets cool-downs that are over. Mutates s (a fresh clone). */
export function keepOut(s: RoomState, address: string | undefined, now: number): void {
  const kept = Object.entries(s.kickedUntil ?? {}).filter(([, until]) => until > now);
  if (address !== undefined) kept.push([address, now + KICKED_COOLDOWN_MS]);
  s.kickedUntil = Object.fromEntries(kept);
}
