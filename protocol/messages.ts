// Runtime schemas for every socket.io event. Client and server both import this file:
// the server parses every inbound payload with it, the client types its calls with it.
import { z } from "zod";
import {
  COORD_MAX,
  MAX_POINTS_PER_STROKE,
  MAX_STROKE_TIME_MS,
  NICKNAME_MAX_LENGTH,
  ROOM_CODE_ALPHABET,
  ROOM_CODE_LENGTH,
  ROUNDS_MAX,
  ROUNDS_MIN,
  ROUND_SECONDS_MAX,
  ROUND_SECONDS_MIN,
} from "./limits";
import { cleanNickname } from "./nickname";
import type { LiveBatch, LiveInk } from "./live-ink";

// Pages run under a CSP without 'unsafe-eval'. Zod's JIT for objects first probes `new Function`,
// and the browser reports that probe as a CSP violation even though zod catches it. Servers keep
// the JIT (strokes are the hot path); this must run before the first schema below is made.
if (typeof window !== "undefined") z.config({ jitless: true });

const coord = z.number().int().min(0).max(COORD_MAX);
/** One sampled point: x, y in the 0..255 box and t in ms since the drawing started. */
export const pointSchema = z.tuple([coord, coord, z.number().int().min(0).max(MAX_STROKE_TIME_MS)]);
export type Point = z.infer<typeof pointSchema>;

/** Client-made stroke id: makes re-sends idempotent. */
export const strokeIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, "stroke id must be 8-64 letters, digits, _ or -");

/**
 * Same rule as `z.array(pointSchema).min(1).max(...)`, checked in one plain loop: strokes are the
 * hot path (thousands a second) and per-element zod parsing was the largest cost in profiles.
 */
function isPointList(value: unknown): value is Point[] {
  if (!Array.isArray(value) || value.length < 1 || value.length > MAX_POINTS_PER_STROKE) return false;
  for (const p of value) {
    if (!Array.isArray(p) || p.length !== 3) return false;
    const [x, y, t] = p as unknown[];
    if (!Number.isInteger(x) || (x as number) < 0 || (x as number) > COORD_MAX) return false;
    if (!Number.isInteger(y) || (y as number) < 0 || (y as number) > COORD_MAX) return false;
    if (!Number.isInteger(t) || (t as number) < 0 || (t as number) > MAX_STROKE_TIME_MS) return false;
  }
  return true;
}

export const strokeSchema = z.object({
  id: strokeIdSchema,
  points: z.custom<Point[]>(isPointList, {
    message: `points must be 1 to ${MAX_POINTS_PER_STROKE} [x, y, t] integer triples, x and y in 0..${COORD_MAX}`,
  }),
});
export type Stroke = z.infer<typeof strokeSchema>;

export const roomCodeSchema = z
  .string()
  .transform((s) => s.trim().toUpperCase())
  .pipe(z.string().length(ROOM_CODE_LENGTH).regex(new RegExp(`^[${ROOM_CODE_ALPHABET}]+$`), "not a room code"));

export const nicknameSchema = z
  .string()
  .transform(cleanNickname)
  .pipe(z.string().min(1, "pick a nickname").max(NICKNAME_MAX_LENGTH, `nicknames are at most ${NICKNAME_MAX_LENGTH} characters`));

/** Secret that lets a player take their seat back after a reconnect. */
export const seatTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{16,128}$/);
export const idSchema = z.string().min(1).max(64);

export const settingsSchema = z.object({
  rounds: z.number().int().min(ROUNDS_MIN).max(ROUNDS_MAX),
  roundSeconds: z.number().int().min(ROUND_SECONDS_MIN).max(ROUND_SECONDS_MAX),
});
export type Settings = z.infer<typeof settingsSchema>;

// ---- client -> server ------------------------------------------------------------

export const clientSchemas = {
  "room:create": z.object({ nickname: nicknameSchema }),
  "room:join": z.object({ code: roomCodeSchema, nickname: nicknameSchema, token: seatTokenSchema.optional() }),
  /** Watch a room without a seat (game/spectators.ts); a token of this room's brings its place back, seat or not. */
  "room:watch": z.object({ code: roomCodeSchema, nickname: nicknameSchema, token: seatTokenSchema.optional() }),
  /** A spectator asks for a seat at the next game (in the lobby: now, if one is free), or stops asking. */
  "spectator:join-next": z.object({ join: z.boolean() }),
  "room:leave": z.object({}),
  "room:settings": settingsSchema,
  "game:start": z.object({}),
  "game:rematch": z.object({}),
  /** The host ends the gallery now: the next round, or the results. */
  "gallery:next": z.object({}),
  "stroke:add": z.object({ roundId: idSchema, stroke: strokeSchema }),
  "stroke:undo": z.object({ roundId: idSchema, strokeId: strokeIdSchema }),
  "drawing:clear": z.object({ roundId: idSchema }),
  /** "The AI's top guess was the word once my drawing reached this stroke": the server checks it itself. */
  "drawing:recognized": z.object({ roundId: idSchema, strokeId: strokeIdSchema }),
  /** A vote to remove a disruptive player; a majority of the others removes them. */
  "player:kick": z.object({ playerId: idSchema }),
} as const;
export type ClientEvent = keyof typeof clientSchemas;
export type ClientPayload<E extends ClientEvent> = z.input<(typeof clientSchemas)[E]>;
export type ParsedClientPayload<E extends ClientEvent> = z.output<(typeof clientSchemas)[E]>;

// ---- server -> client ------------------------------------------------------------

export const errorCodes = [
  "bad_request",
  "too_large",
  "rate_limited",
  "not_found",
  "forbidden",
  "room_full",
  "wrong_phase",
  "not_in_room",
  "storage_unavailable",
  /** The room voted this player out. */
  "removed",
  "internal",
] as const;
export type ErrorCode = (typeof errorCodes)[number];
export type ProtocolError = { code: ErrorCode; message: string };

export type PlayerView = {
  id: string;
  nickname: string;
  isHost: boolean;
  connected: boolean;
  /** Joined mid-game: draws from the next round on. */
  waiting: boolean;
  score: number;
  /** Votes to remove this player, and how many it takes. */
  kickVotes: number;
  kickVotesNeeded: number;
};

/** Someone watching without a seat: no score, no drawing, no vote. */
export type SpectatorView = {
  id: string;
  nickname: string;
  /** Asked for a seat at the next game. */
  joinNext: boolean;
  /** Why their last ask for a seat failed ("All 12 seats are taken..."), for them to read. */
  note?: string;
};

export type RoundView = { id: string; index: number; word: string };

export type Phase = "lobby" | "drawing" | "gallery" | "results";

export type RoomView = {
  code: string;
  phase: Phase;
  settings: Settings;
  players: PlayerView[];
  /** Watching, in arrival order; never among the players. */
  spectators: SpectatorView[];
  /** Rounds of the current game so far, in order; the last one is the current round. */
  rounds: RoundView[];
  /** Server epoch ms when the current phase ends (drawing or gallery), else null. */
  phaseEndsAt: number | null;
  /** Server's clock when this view was made, so clients can correct for clock skew. */
  serverNow: number;
  /** The dance of the round just played (gallery phase), else null or absent. */
  dance?: DancePlan | null;
  /** Where this game's gallery lives: /games/<roomId>/<gameNumber> (the room's id is unguessable, unlike its code). */
  gallery?: { roomId: string; gameNumber: number };
};

export type DrawingView = {
  roundId: string;
  playerId: string;
  strokes: Stroke[];
  /** Ms after the round started when the server confirmed the AI recognized it; absent or null if not (yet). */
  recognizedAtMs?: number | null;
};

/** A doodle the AI recognized (checked by the server), at `atMs` after its round started. */
export type Recognition = { roundId: string; playerId: string; atMs: number };

/**
 * The dance the server plans when a round ends (game/room.ts): these doodles, in this order,
 * looping from `startsAt` (server epoch ms). Every browser computes the frames itself and
 * places them on the server's clock, so all players see the same doodle at the same moment.
 */
export type DanceStep = { roundId: string; playerId: string };
/**
 * The doodles' latent codes, one per step, refined by the server for this model version (see
 * server/dance-codes/): every browser morphs the same codes, which fit the doodles more closely
 * than the encoder's one-pass guess. Arrives shortly after the plan (null until then).
 */
export type DanceCodes = { version: string; values: number[][] };
export type DancePlan = { id: string; steps: DanceStep[]; startsAt: number; codes?: DanceCodes | null };

/** GET /api/games/<roomId>/<gameNumber>: every finished round of a game with its doodles (the game's gallery page). */
export type GameGalleryView = {
  gameNumber: number;
  rounds: { id: string; index: number; word: string; doodles: { playerId: string; nickname: string; strokes: Stroke[] }[] }[];
};

/**
 * The model version players should use: `files` is a base URL laid out as model/weights/
 * (`${files}/alpha-gan/encoder/model.json`, `${files}/ae/...`), loadable by model/inference.ts.
 * Served by GET /api/models/active and pushed as `model:active` when an admin publishes.
 */
export type ModelVersionView = { version: string; files: string };

/** Acks: every client request is answered with one of these. */
export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: ProtocolError };

export type JoinAck = Ack<{ code: string; playerId: string; token: string }>;
export type StrokeAck = Ack<{ strokeId: string; duplicate: boolean }>;
/** The server's verdict on a recognition claim: recognized (now or earlier, at atMs) or not. */
export type RecognitionAck = Ack<{ recognized: boolean; atMs: number | null }>;

export interface ServerToClientEvents {
  "room:state": (view: RoomView) => void;
  /**
   * Full drawings of the current game, as DrawingView[] (decodeSnapshot): sent when a socket takes
   * a seat or starts watching, so a returning player sees everything; never again to a socket that already holds it.
   */
  "drawings:snapshot": (drawings: SnapshotBytes) => void;
  "stroke:added": (e: { roundId: string; playerId: string; stroke: Stroke }) => void;
  /**
   * Points of strokes still being drawn in the current round (protocol/live-ink.ts), several drawers'
   * batches in one message, sent to the whole room: a page skips its own. A stroke's stroke:added replaces them.
   */
  "ink:live": (batches: LiveInk[]) => void;
  "stroke:removed": (e: { roundId: string; playerId: string; strokeIds: string[] }) => void;
  "drawing:recognized": (e: Recognition) => void;
  /** Something the player should read: a rejected message, storage trouble, a kicked seat. */
  error: (e: ProtocolError & { event?: string }) => void;
  notice: (e: { level: "info" | "warning"; message: string }) => void;
  "model:active": (e: ModelVersionView) => void;
}

export interface ClientToServerEvents {
  "room:create": (p: ClientPayload<"room:create">, ack: (a: JoinAck) => void) => void;
  "room:join": (p: ClientPayload<"room:join">, ack: (a: JoinAck) => void) => void;
  "room:watch": (p: ClientPayload<"room:watch">, ack: (a: JoinAck) => void) => void;
  "spectator:join-next": (p: ClientPayload<"spectator:join-next">, ack: (a: Ack) => void) => void;
  "room:leave": (p: ClientPayload<"room:leave">, ack: (a: Ack) => void) => void;
  "room:settings": (p: ClientPayload<"room:settings">, ack: (a: Ack) => void) => void;
  "game:start": (p: ClientPayload<"game:start">, ack: (a: Ack) => void) => void;
  "game:rematch": (p: ClientPayload<"game:rematch">, ack: (a: Ack) => void) => void;
  "gallery:next": (p: ClientPayload<"gallery:next">, ack: (a: Ack) => void) => void;
  "stroke:add": (p: ClientPayload<"stroke:add">, ack: (a: StrokeAck) => void) => void;
  "stroke:undo": (p: ClientPayload<"stroke:undo">, ack: (a: Ack) => void) => void;
  "drawing:clear": (p: ClientPayload<"drawing:clear">, ack: (a: Ack) => void) => void;
  "player:kick": (p: ClientPayload<"player:kick">, ack: (a: Ack) => void) => void;
  "drawing:recognized": (p: ClientPayload<"drawing:recognized">, ack: (a: RecognitionAck) => void) => void;
  /** No ack: a lost batch is filled in by the finished stroke. Checked by liveBatchProblem, not zod (the hot path). */
  "ink:live": (p: LiveBatch) => void;
}

/** Sent in the socket.io handshake (`auth`); the server refuses other versions. */
export type HandshakeAuth = { protocolVersion: number };

/** Turns a zod failure into one sentence a player can read. */
export function describeIssues(error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return "invalid message";
  const where = first.path.length ? `${first.path.join(".")}: ` : "";
  return `${where}${first.message}`;
}

/** `drawings:snapshot` as the client receives it (protocol/snapshot.ts): a Buffer in Node, an ArrayBuffer in browsers. */
export type SnapshotBytes = Uint8Array | ArrayBuffer;
