// The game's rules as pure functions of a room's state. No sockets, no database, no clock:
// the caller passes `now` and randomness in, and gets a new state plus the effects to carry out.
import {
  DANCE_LEAD_MS,
  GALLERY_MS,
  LATE_STROKE_GRACE_MS,
  MAX_PLAYERS_PER_ROOM,
  ROUNDS_DEFAULT,
  ROUND_SECONDS_DEFAULT,
  SEAT_GRACE_MS,
  type DanceCodes,
  type DancePlan,
  type Phase,
  type ProtocolError,
  type RoomView,
  type Settings,
  nicknameSkeleton,
} from "../protocol";
import type { Random } from "../common/random";
import { pickWord, type WeightedWord } from "./words";
import { DANCE_TIMING, loopMs, type DanceTiming } from "./dance";
import { activeKickVotes, kickVotesNeeded } from "./kick-votes";

export type Seat = {
  id: string;
  nickname: string;
  connected: boolean;
  disconnectedAt: number | null;
  /** Joined mid-game: draws from the next round on. */
  waiting: boolean;
  score: number;
  /** Players who voted to remove this one (game/vote-kick.ts). */
  kickVotes: string[];
  /** The network the player joined from (absent in older snapshots): game/seat-limits.ts. */
  address?: string;
};

/** Someone watching without a seat (game/spectators.ts): gone when their socket goes. */
export type Spectator = {
  id: string;
  nickname: string;
  /** Asked for a seat at the next game. */
  joinNext: boolean;
  /** Why their last ask for a seat failed, for them to read. */
  note?: string;
  /** The network they watch from: game/seat-limits.ts. */
  address?: string;
};

export type Round = {
  id: string;
  index: number;
  word: string;
  startedAt: number;
  endedAt: number | null;
  /** Who draws in this round: everyone seated when it started. */
  drawers: string[];
  /** Set when the round ends: the drawers whose doodle has ink, and each drawer's points. */
  inked?: string[];
  points?: Record<string, number>;
};

export type RoomState = {
  code: string;
  settings: Settings;
  phase: Phase;
  /** In join order: the host passes down this list. */
  seats: Seat[];
  /** In arrival order; absent in snapshots from before spectators. */
  spectators?: Spectator[];
  hostId: string | null;
  gameNumber: number;
  rounds: Round[];
  phaseEndsAt: number | null;
  /** The dance everyone watches now: the round's doodles in the gallery, the best ones on the results. */
  dance?: DancePlan | null;
  /** Networks a player was voted out from, until when (epoch ms) they may not take a seat again. */
  kickedUntil?: Record<string, number>;
};

/** Points per player for a finished round; the server supplies it (it knows the strokes). */
export type ScoreRound = (round: Round) => Record<string, number>;

export type Context = {
  now: number;
  newId: () => string;
  random: Random;
  words: readonly WeightedWord[];
  scoreRound: ScoreRound;
  /** Drawers whose doodle has strokes (the server knows them); without it no dance is planned. */
  inkedDrawers?: (round: Round) => string[];
};

export type Effect =
  | { type: "roundStarted"; round: Round }
  | { type: "roundEnded"; round: Round }
  | { type: "gameEnded"; gameNumber: number }
  /** A seat is gone, or a spectator's place (game/spectators.ts): its token goes with it. */
  | { type: "seatRemoved"; playerId: string; kicked?: boolean };

export type Outcome = { ok: true; state: RoomState; effects: Effect[] } | { ok: false; error: ProtocolError };

const fail = (code: ProtocolError["code"], message: string): Outcome => ({ ok: false, error: { code, message } });
const done = (state: RoomState, effects: Effect[] = []): Outcome => ({ ok: true, state, effects });

export const DEFAULT_SETTINGS: Settings = { rounds: ROUNDS_DEFAULT, roundSeconds: ROUND_SECONDS_DEFAULT };

/** Extra time allowed on a stroke's timestamps beyond the round's length (network and clock jitter). */
export const STROKE_TIME_SLACK_MS = 2000;

export function createRoom(code: string, settings: Settings = DEFAULT_SETTINGS): RoomState {
  return { code, settings, phase: "lobby", seats: [], hostId: null, gameNumber: 1, rounds: [], phaseEndsAt: null };
}

export function currentRound(state: RoomState): Round | undefined {
  return state.phase === "lobby" ? undefined : state.rounds[state.rounds.length - 1];
}

function isHost(state: RoomState, playerId: string): boolean {
  return state.hostId === playerId;
}

/** Keeps a connected host: the first connected seat in join order takes over from an absent one. */
function electHost(state: RoomState): void {
  const host = state.seats.find((s) => s.id === state.hostId);
  if (host?.connected) return;
  const next = state.seats.find((s) => s.connected);
  if (next) state.hostId = next.id;
  else if (!host) state.hostId = state.seats[0]?.id ?? null;
}

/**
 * Two players called "Sam" become "Sam" and "Sam 2", so galleries stay readable; names that only
 * look alike ("Ѕam" in Cyrillic, "SAM", "5am") count as the same name, so none passes for another.
 * Spectators' names count too: one may take a seat later, and the "watching" list must be readable.
 */
export function uniqueNickname(state: RoomState, nickname: string): string {
  const taken = new Set([...state.seats, ...(state.spectators ?? [])].map((s) => nicknameSkeleton(s.nickname)));
  if (!taken.has(nicknameSkeleton(nickname))) return nickname;
  for (let n = 2; ; n++) {
    const candidate = `${nickname} ${n}`;
    if (!taken.has(nicknameSkeleton(candidate))) return candidate;
  }
}

export function join(state: RoomState, player: { id: string; nickname: string; address?: string }): Outcome {
  if (state.seats.some((s) => s.id === player.id)) return resume(state, player.id);
  if (state.seats.length >= MAX_PLAYERS_PER_ROOM) {
    return fail("room_full", `This room already has ${MAX_PLAYERS_PER_ROOM} players, the most a room can hold: watch it, or start your own.`);
  }
  const s = structuredClone(state);
  s.seats.push({
    id: player.id,
    nickname: uniqueNickname(s, player.nickname),
    connected: true,
    disconnectedAt: null,
    waiting: s.phase !== "lobby",
    score: 0,
    kickVotes: [],
    ...(player.address === undefined ? {} : { address: player.address }),
  });
  electHost(s);
  return done(s);
}

export function resume(state: RoomState, playerId: string): Outcome {
  const s = structuredClone(state);
  const seat = s.seats.find((p) => p.id === playerId);
  if (!seat) return fail("not_in_room", "Your seat in this room has expired; join again.");
  seat.connected = true;
  seat.disconnectedAt = null;
  electHost(s);
  return done(s);
}

export function disconnect(state: RoomState, playerId: string, now: number): Outcome {
  const s = structuredClone(state);
  const seat = s.seats.find((p) => p.id === playerId);
  if (!seat) return done(s);
  seat.connected = false;
  seat.disconnectedAt = now;
  electHost(s);
  return done(s);
}

export function leave(state: RoomState, playerId: string): Outcome {
  if (!state.seats.some((p) => p.id === playerId)) return fail("not_in_room", "You are not in this room.");
  const s = structuredClone(state);
  s.seats = s.seats.filter((p) => p.id !== playerId);
  electHost(s);
  return done(s, [{ type: "seatRemoved", playerId }]);
}

export function updateSettings(state: RoomState, playerId: string, settings: Settings): Outcome {
  if (!isHost(state, playerId)) return fail("forbidden", "Only the host can change the settings.");
  if (state.phase !== "lobby") return fail("wrong_phase", "Settings can only change in the lobby.");
  return done({ ...structuredClone(state), settings: { ...settings } });
}

export function startGame(state: RoomState, playerId: string, ctx: Context): Outcome {
  if (!isHost(state, playerId)) return fail("forbidden", "Only the host can start the game.");
  if (state.phase !== "lobby") return fail("wrong_phase", "The game has already started.");
  const s = structuredClone(state);
  return done(s, [beginRound(s, ctx)]);
}

export function rematch(state: RoomState, playerId: string): Outcome {
  if (!isHost(state, playerId)) return fail("forbidden", "Only the host can start a rematch.");
  if (state.phase !== "results") return fail("wrong_phase", "A rematch starts after the game ends.");
  const s = structuredClone(state);
  s.phase = "lobby";
  s.gameNumber += 1;
  s.rounds = [];
  s.phaseEndsAt = null;
  s.dance = null;
  for (const seat of s.seats) {
    seat.score = 0;
    seat.waiting = false;
  }
  return done(s);
}

/** Mutates s (a fresh clone) into the next round's drawing phase. */
function beginRound(s: RoomState, ctx: Context): Effect {
  const round: Round = {
    id: ctx.newId(),
    index: s.rounds.length,
    word: pickWord(ctx.words, s.rounds.map((r) => r.word), ctx.random),
    startedAt: ctx.now,
    endedAt: null,
    drawers: s.seats.map((p) => p.id),
  };
  for (const seat of s.seats) seat.waiting = false;
  s.rounds.push(round);
  s.phase = "drawing";
  s.phaseEndsAt = ctx.now + s.settings.roundSeconds * 1000;
  return { type: "roundStarted", round: structuredClone(round) };
}

/**
 * Moves time forward: ends rounds whose time is up, starts the next one after the gallery,
 * frees seats whose grace ran out. Call it whenever `nextDeadline` passes.
 */
export function tick(state: RoomState, ctx: Context): Outcome {
  const s = structuredClone(state);
  const effects: Effect[] = [];

  for (const seat of s.seats.filter((p) => !p.connected && p.disconnectedAt !== null)) {
    if (ctx.now - seat.disconnectedAt! >= SEAT_GRACE_MS) {
      s.seats = s.seats.filter((p) => p.id !== seat.id);
      effects.push({ type: "seatRemoved", playerId: seat.id });
    }
  }
  electHost(s);

  if (s.phaseEndsAt !== null && ctx.now >= s.phaseEndsAt) {
    if (s.phase === "drawing") {
      const round = s.rounds[s.rounds.length - 1]!;
      round.endedAt = s.phaseEndsAt;
      const points = ctx.scoreRound(structuredClone(round));
      for (const seat of s.seats) seat.score += points[seat.id] ?? 0;
      const inked = new Set(ctx.inkedDrawers?.(structuredClone(round)) ?? []);
      round.inked = round.drawers.filter((id) => inked.has(id));
      round.points = Object.fromEntries(round.drawers.map((id) => [id, points[id] ?? 0]));
      s.phase = "gallery";
      s.dance = planDance(round.id, round.inked.map((playerId) => ({ roundId: round.id, playerId })), ctx.now);
      s.phaseEndsAt = ctx.now + galleryMs(s.dance);
      effects.push({ type: "roundEnded", round: structuredClone(round) });
    } else if (s.phase === "gallery") {
      effects.push(endGallery(s, ctx));
    }
  }
  return done(s, effects);
}

/** Mutates s (a fresh clone, in the gallery) into the next round, or the results after the last one. */
function endGallery(s: RoomState, ctx: Context): Effect {
  s.dance = null;
  if (s.rounds.length < s.settings.rounds && s.seats.length > 0) return beginRound(s, ctx);
  s.phase = "results";
  s.phaseEndsAt = null;
  s.dance = planDance(`game-${s.gameNumber}`, bestDoodles(s), ctx.now);
  return { type: "gameEnded", gameNumber: s.gameNumber };
}

/** The host moves everyone on from the gallery before its time is up: the next round, or the results. */
export function skipGallery(state: RoomState, playerId: string, ctx: Context): Outcome {
  if (!isHost(state, playerId)) return fail("forbidden", "Only the host can move on from the gallery.");
  if (state.phase !== "gallery") return fail("wrong_phase", "Moving on only works in the gallery between rounds.");
  const s = structuredClone(state);
  return done(s, [endGallery(s, ctx)]);
}

/** A dance of these doodles starting shortly after `now`; null when there is nothing to dance. */
function planDance(id: string, steps: DancePlan["steps"], now: number): DancePlan | null {
  return steps.length ? { id, steps, startsAt: now + DANCE_LEAD_MS } : null;
}

/** What the gallery's length follows: the dance's beat, its lead-in, and the shortest gallery. */
export type GalleryTiming = DanceTiming & { leadMs: number; minMs: number };
export const GALLERY_TIMING: GalleryTiming = { ...DANCE_TIMING, leadMs: DANCE_LEAD_MS, minMs: GALLERY_MS };

/**
 * The gallery lasts until every doodle of the round has danced: the lead-in plus one whole loop
 * (each doodle held, then morphed into the next, the last back into the first), and never less
 * than the minimum, so a round of one or two doodles can still be looked at. No maximum: a cap
 * cut the dance of a full room short, and the room's size already bounds the loop.
 */
export function galleryMs(dance: DancePlan | null | undefined, timing: GalleryTiming = GALLERY_TIMING): number {
  const danced = dance ? timing.leadMs + loopMs(dance.steps.length, timing) : 0;
  return Math.max(timing.minMs, danced);
}

/**
 * The end-of-game dance: each seated player's best doodle, in seat order. Best = most points in
 * its round (the AI's recognition bonus decides once scoring has it); a tie goes to the later round.
 */
export function bestDoodles(s: RoomState): DancePlan["steps"] {
  const steps: DancePlan["steps"] = [];
  for (const seat of s.seats) {
    let best: Round | null = null;
    for (const r of s.rounds) {
      if (!r.inked?.includes(seat.id)) continue;
      if (!best || (r.points?.[seat.id] ?? 0) >= (best.points?.[seat.id] ?? 0)) best = r;
    }
    if (best) steps.push({ roundId: best.id, playerId: seat.id });
  }
  return steps;
}

/** When `tick` next has something to do, or null if nothing is scheduled. */
export function nextDeadline(state: RoomState): number | null {
  const times = state.seats
    .filter((p) => !p.connected && p.disconnectedAt !== null)
    .map((p) => p.disconnectedAt! + SEAT_GRACE_MS);
  if (state.phaseEndsAt !== null) times.push(state.phaseEndsAt);
  return times.length ? Math.min(...times) : null;
}

/**
 * May this player add to (or undo in) their drawing of this round now? Strokes of a round that
 * just ended are still taken for a while, so re-sends after a reconnect are not lost.
 * `lastPointMs` bounds the stroke's own timestamps by the round's length: the client's clock
 * decides nothing.
 */
export function checkDrawing(
  state: RoomState,
  playerId: string,
  roundId: string,
  now: number,
  lastPointMs = 0,
): ProtocolError | null {
  if (!state.seats.some((p) => p.id === playerId)) return { code: "not_in_room", message: "You are not in this room." };
  const round = state.rounds.find((r) => r.id === roundId);
  if (!round) return { code: "not_found", message: "That round is not part of this game." };
  if (!round.drawers.includes(playerId)) {
    return { code: "forbidden", message: "You joined during this round; you'll draw in the next one." };
  }
  if (round.endedAt !== null && now - round.endedAt > LATE_STROKE_GRACE_MS) {
    return { code: "wrong_phase", message: "That round is over." };
  }
  if (lastPointMs > state.settings.roundSeconds * 1000 + STROKE_TIME_SLACK_MS) {
    return { code: "bad_request", message: "Stroke times run past the end of the round." };
  }
  return null;
}

/** What every client is shown. Scores and the word come from here only. */
export function toRoomView(state: RoomState, now: number): RoomView {
  return {
    code: state.code,
    phase: state.phase,
    settings: { ...state.settings },
    players: state.seats.map((p) => ({
      id: p.id,
      nickname: p.nickname,
      isHost: p.id === state.hostId,
      connected: p.connected,
      waiting: p.waiting,
      score: p.score,
      kickVotes: activeKickVotes(state.seats, p, p.kickVotes),
      kickVotesNeeded: kickVotesNeeded(state.seats, p.id),
    })),
    spectators: (state.spectators ?? []).map(({ id, nickname, joinNext, note }) => ({ id, nickname, joinNext, ...(note ? { note } : {}) })),
    rounds: state.rounds.map((r) => ({ id: r.id, index: r.index, word: r.word })),
    phaseEndsAt: state.phaseEndsAt,
    serverNow: now,
    dance: state.dance ?? null,
  };
}

/** The server's refined codes for the dance now playing (ignored when that dance is over or they don't fit it). */
export function setDanceCodes(danceId: string, codes: DanceCodes) {
  return (state: RoomState): Outcome => {
    const dance = state.dance;
    if (!dance || dance.id !== danceId) return fail("wrong_phase", "That dance is over.");
    if (codes.values.length !== dance.steps.length) return fail("bad_request", "One code per doodle of the dance.");
    return done({ ...state, dance: { ...dance, codes } });
  };
}
