// Spectators: people who watch a room without a seat. They see everything the players see but
// take no seat, score nothing, don't draw, vote or run the game, and are gone when their socket
// goes. One who asks takes a seat when the next game opens, if one is free. Pure rules like
// room.ts; the list lives in the room's state, so it survives a server hand-over.
import { MAX_PLAYERS_PER_ROOM, MAX_SPECTATORS_PER_ROOM, type ProtocolError } from "../protocol";
import { disconnect, join, leave, resume, uniqueNickname, type Outcome, type RoomState, type Spectator } from "./room";
import { keptOutRefusal, seatRefusal } from "./seat-limits";

/** Spectators one network may have in one room unless configured: the seats' rule, for watchers. */
export const DEFAULT_SPECTATORS_PER_ADDRESS = 4;

/** What every player action from a spectator is answered with. */
export const WATCHING_REFUSAL: ProtocolError = { code: "forbidden", message: "You're watching this game; players draw." };

const fail = (error: ProtocolError): Outcome => ({ ok: false, error });
const done = (state: RoomState, effects: Extract<Outcome, { ok: true }>["effects"] = []): Outcome => ({ ok: true, state, effects });

export function isSpectator(state: RoomState, id: string): boolean {
  return (state.spectators ?? []).some((s) => s.id === id);
}

/** What an id holds in this room: a seat, a spectator's place, or nothing. */
export function placeOf(state: RoomState, id: string): "seat" | "spectator" | null {
  if (state.seats.some((s) => s.id === id)) return "seat";
  return isSpectator(state, id) ? "spectator" : null;
}

/** Why someone from `address` can't start watching now, or null if they can. */
export function watchRefusal(state: RoomState, address: string, now: number, spectatorsPerAddress: number): ProtocolError | null {
  const kept = keptOutRefusal(state, address, now);
  if (kept) return kept;
  const spectators = state.spectators ?? [];
  if (spectators.length >= MAX_SPECTATORS_PER_ROOM) {
    return { code: "room_full", message: `${MAX_SPECTATORS_PER_ROOM} people are watching this room already, the most it takes.` };
  }
  if (spectators.filter((s) => s.address === address).length >= spectatorsPerAddress) {
    return {
      code: "room_full",
      message: `${spectatorsPerAddress} people from your network are watching this room already, the most one network may.`,
    };
  }
  return null;
}

export function watch(
  state: RoomState,
  viewer: { id: string; nickname: string; address: string },
  now: number,
  spectatorsPerAddress: number,
): Outcome {
  const held = placeOf(state, viewer.id);
  if (held === "spectator") return done(structuredClone(state));
  if (held === "seat") return fail({ code: "bad_request", message: "You have a seat in this room already." });
  const refused = watchRefusal(state, viewer.address, now, spectatorsPerAddress);
  if (refused) return fail(refused);
  const s = structuredClone(state);
  const spectator: Spectator = { id: viewer.id, nickname: uniqueNickname(s, viewer.nickname), joinNext: false, address: viewer.address };
  s.spectators = [...(s.spectators ?? []), spectator];
  return done(s);
}

/** The spectator leaves (closed the page, lost the connection): their place and token go at once. */
export function stopWatching(state: RoomState, id: string): Outcome {
  if (!isSpectator(state, id)) return fail({ code: "not_in_room", message: "You are not watching this room." });
  const s = structuredClone(state);
  s.spectators = s.spectators!.filter((v) => v.id !== id);
  return done(s, [{ type: "seatRemoved", playerId: id }]);
}

// A socket's place is a seat or a spectator's; these take either, so the transport needn't ask.
export const resumePlace = (state: RoomState, id: string): Outcome =>
  isSpectator(state, id) ? done(structuredClone(state)) : resume(state, id);
export const disconnectPlace = (state: RoomState, id: string, now: number): Outcome =>
  isSpectator(state, id) ? stopWatching(state, id) : disconnect(state, id, now);
export const leavePlace = (state: RoomState, id: string): Outcome => (isSpectator(state, id) ? stopWatching(state, id) : leave(state, id));

/** Why this spectator can't take a seat now, or null if they can. */
function promotionRefusal(state: RoomState, spectator: Spectator, now: number, seatsPerAddress: number): ProtocolError | null {
  if (state.seats.length >= MAX_PLAYERS_PER_ROOM) {
    return { code: "room_full", message: `All ${MAX_PLAYERS_PER_ROOM} seats are taken, so you're still watching.` };
  }
  return spectator.address === undefined ? null : seatRefusal(state, spectator.address, now, seatsPerAddress);
}

/** Mutates s (a fresh clone): the spectator becomes a player with the same id and name. */
function seat(s: RoomState, spectator: Spectator): RoomState {
  s.spectators = s.spectators!.filter((v) => v.id !== spectator.id);
  const joined = join(s, { id: spectator.id, nickname: spectator.nickname, ...(spectator.address === undefined ? {} : { address: spectator.address }) });
  if (!joined.ok) throw new Error(`seating a spectator: ${joined.error.message}`); // promotionRefusal checked it
  return joined.state;
}

/**
 * A spectator asks for a seat at the next game (or stops asking). In the lobby the next game is
 * the one about to start, so a free seat is taken at once and a refusal is answered in words.
 */
export function askToJoinNext(state: RoomState, id: string, wants: boolean, now: number, seatsPerAddress: number): Outcome {
  const held = placeOf(state, id);
  if (held === "seat") return fail({ code: "bad_request", message: "You have a seat in this room already." });
  if (held === null) return fail({ code: "not_in_room", message: "You are not watching this room." });
  const s = structuredClone(state);
  const spectator = s.spectators!.find((v) => v.id === id)!;
  spectator.joinNext = wants;
  delete spectator.note;
  if (!wants || s.phase !== "lobby") return done(s);
  const refused = promotionRefusal(s, spectator, now, seatsPerAddress);
  return refused ? fail(refused) : done(seat(s, spectator));
}

/**
 * A new game opens (a rematch's lobby): spectators who asked take the free seats in the order they
 * came; the others keep watching, stop asking, and are told why (`note`). Wraps a rule's outcome.
 */
export function seatAskers(outcome: Outcome, now: number, seatsPerAddress: number): Outcome {
  if (!outcome.ok || outcome.state.phase !== "lobby") return outcome;
  let s = structuredClone(outcome.state);
  for (const { id } of s.spectators?.filter((v) => v.joinNext) ?? []) {
    const spectator = s.spectators!.find((v) => v.id === id)!;
    const refused = promotionRefusal(s, spectator, now, seatsPerAddress);
    if (refused) {
      spectator.joinNext = false;
      spectator.note = refused.message;
    } else {
      s = seat(s, spectator);
    }
  }
  return { ...outcome, state: s };
}

/**
 * After a hand-over: spectators whose sockets the new owner could not find are gone (they come
 * back by re-watching), as the old owner would have seen them go.
 */
export function dropAbsentSpectators(state: RoomState, present: ReadonlySet<string>): Outcome {
  const gone = (state.spectators ?? []).filter((v) => !present.has(v.id));
  if (gone.length === 0) return done(state);
  const s = structuredClone(state);
  s.spectators = s.spectators!.filter((v) => present.has(v.id));
  return done(s, gone.map((v) => ({ type: "seatRemoved" as const, playerId: v.id })));
}

/** What the room page offers someone opening the link: join, watch, or both. */
export type EntryChoices = { playing: boolean; seatFree: boolean; watchFree: boolean };
export function entryChoices(state: RoomState): EntryChoices {
  return {
    playing: state.phase !== "lobby",
    seatFree: state.seats.length < MAX_PLAYERS_PER_ROOM,
    watchFree: (state.spectators?.length ?? 0) < MAX_SPECTATORS_PER_ROOM,
  };
}
