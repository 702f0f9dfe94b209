// The socket.io transport: checks every inbound message against the protocol, binds sockets
// to seats, and turns requests into rule applications on the room's runtime.
import type { Server as HttpServer } from "node:http";
import { randomBytes, randomUUID } from "node:crypto";
import { Server } from "socket.io";
import {
  LIVE_BATCHES_PER_SECOND,
  LIVE_BATCH_BURST,
  MAX_MESSAGE_BYTES,
  PROTOCOL_VERSION,
  RATE_BURST,
  RATE_PER_SECOND,
  clientSchemas,
  describeIssues,
  liveBatchProblem,
  type ClientEvent,
  type LiveBatch,
  type ParsedClientPayload,
  type ProtocolError,
} from "../../protocol";
import {
  createRoom as newRoomState,
  join,
  rematch,
  skipGallery,
  startGame,
  updateSettings,
  type Outcome,
  type RoomState,
} from "../../game/room";
import {
  DEFAULT_SPECTATORS_PER_ADDRESS,
  askToJoinNext,
  disconnectPlace,
  entryChoices,
  isSpectator,
  leavePlace,
  placeOf,
  resumePlace,
  seatAskers,
  watch,
} from "../../game/spectators";
import { voteKick } from "../../game/vote-kick";
import { DEFAULT_SEATS_PER_ADDRESS, seatRefusal } from "../../game/seat-limits";
import { makeRoomCode } from "../../game/room-code";
import { WORDS } from "../../game/words";
import type { Random } from "../../common/random";
import type { GameStore } from "../persistence/types";
import type { Cluster } from "../cluster/cluster";
import { error, type Client, type GameIo, type GameSocket, type Reply, type RoutedEvent, type Seat } from "./clients";
import { shareRooms } from "./room-sharing";
import { refuseSpectators } from "./spectators";
import { RoomRuntime, type RoomEvents } from "./room-runtime";
import { workerRecognizer, type Recognizer } from "../recognition/recognizer";
import type { DanceCoder } from "../dance-codes/dance-coder";
import { keyedTokenBuckets, tokenBucket } from "./rate-limit";
import { log } from "../log";
import { clientAddress } from "./client-address";
import type { RoomLookupAnswer } from "../http/room-lookup";

/** Per client address, per minute (burst = the same number). */
export type AddressLimits = {
  /** Room codes must not be guessable by brute force. */
  wrongRoomCodesPerMinute: number;
  roomsCreatedPerMinute: number;
  /**
   * Snapshot bytes sent to sockets taking a seat: a reload costs the server a whole game's
   * drawings, so reloading in a loop must run dry. Several times the largest snapshot the ink
   * caps allow (about 16 MB), so honest reconnects never meet it.
   */
  snapshotBytesPerMinute: number;
  /** Seats one address may hold in one room (SEATS_PER_ADDRESS): game/seat-limits.ts. */
  seatsPerRoom: number;
  /** Spectators one address may have in one room: game/spectators.ts. */
  spectatorsPerRoom: number;
};
export const DEFAULT_ADDRESS_LIMITS: AddressLimits = {
  wrongRoomCodesPerMinute: 10,
  roomsCreatedPerMinute: 20,
  snapshotBytesPerMinute: 64 * 1024 * 1024,
  seatsPerRoom: DEFAULT_SEATS_PER_ADDRESS,
  spectatorsPerRoom: DEFAULT_SPECTATORS_PER_ADDRESS,
};

export type GameServerOptions = {
  store: GameStore;
  now?: () => number;
  random?: Random;
  /** Overrides of DEFAULT_ADDRESS_LIMITS. */
  addressLimits?: Partial<AddressLimits>;
  /** Checks players' "the AI recognized my doodle" claims; by default the shipped classifier in a worker thread. */
  recognizer?: Recognizer;
  /** Peers sharing rooms (several servers); without it this server runs its rooms alone. */
  cluster?: Cluster;
  /** Refines the dances' codes (server/dance-codes/); without it browsers encode the doodles themselves. */
  danceCoder?: DanceCoder;
  /** Proxies in front whose X-Forwarded-For names the client (client-address.ts); 0: none. */
  trustProxy?: number;
  /** Told of every answered request, for /metrics (server/metrics.ts). */
  observe?: RequestObserver;
  /** Told of every live ink batch. */
  observeLive?: LiveObserver;
};

/** How often a socket is told that its live ink was refused. */
const LIVE_REFUSAL_EVERY_MS = 5000;

export type LiveObserver = (outcome: "taken" | "rate_limited" | "bad_request") => void;
export type RequestObserver = (answered: { event: string; reply: Reply; seconds: number; room: string | null }) => void;


export function attachGameServer(httpServer: HttpServer, options: GameServerOptions) {
  const { store, cluster } = options;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const io: GameIo = new Server(httpServer, {
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    // Plain WebSocket: no long-polling, so several servers need no sticky sessions.
    transports: ["websocket"],
    serveClient: false,
  });

  const limits = { ...DEFAULT_ADDRESS_LIMITS, ...options.addressLimits };
  const wrongCodes = keyedTokenBuckets(limits.wrongRoomCodesPerMinute / 60, limits.wrongRoomCodesPerMinute);
  const roomsCreated = keyedTokenBuckets(limits.roomsCreatedPerMinute / 60, limits.roomsCreatedPerMinute);
  const snapshotBytes = keyedTokenBuckets(limits.snapshotBytesPerMinute / 60, limits.snapshotBytesPerMinute);
  const addressOf = (socket: Client) => socket.handshake.address;

  const rooms = new Map<string, RoomRuntime>();
  /** Seat tokens are bearer secrets: whoever holds one is that player. */
  const seatsByToken = new Map<string, Seat>();
  const tokensByPlayer = new Map<string, string>();
  /** The socket currently holding each seat; a second tab takes the seat over. */
  const socketsByPlayer = new Map<string, Client>();

  const events: RoomEvents = {
    changed: (room) => {
      io.to(room.code).emit("room:state", room.view());
      sharing?.saveSnapshotSoon(room);
    },
    strokeAdded: (room, e, fromSocketId) => io.to(room.code).except(fromSocketId).emit("stroke:added", e),
    // To the whole room, drawers too (a message holds several drawers' batches): pages skip their own.
    liveInk: (room, batches) => io.to(room.code).emit("ink:live", batches),
    strokesRemoved: (room, e) => io.to(room.code).emit("stroke:removed", e),
    recognized: (room, e) => io.to(room.code).emit("drawing:recognized", e),
    seatRemoved: (_room, playerId, kicked) => {
      const token = tokensByPlayer.get(playerId);
      if (token) seatsByToken.delete(token);
      tokensByPlayer.delete(playerId);
      const socket = socketsByPlayer.get(playerId);
      socketsByPlayer.delete(playerId);
      if (!socket) return;
      if (kicked) socket.emit("error", { code: "removed", message: "The other players voted to remove you from this room." });
      unbind(socket);
    },
    empty: (room) => {
      room.close();
      rooms.delete(room.code);
      void cluster?.release(room.code);
    },
  };

  const recognizer = options.recognizer ?? workerRecognizer();
  const { danceCoder } = options;
  const runtimeDeps = { store, events, now, recognizer, danceCoder, context: { newId: randomUUID, random, words: WORDS } };

  io.use((socket, next) => {
    // Set once here, so every per-address limit and every peer this socket's requests are
    // forwarded to (room-sharing.ts) sees the client's address rather than a proxy's.
    socket.handshake.address = clientAddress(socket.conn.remoteAddress, socket.handshake.headers["x-forwarded-for"], options.trustProxy ?? 0);
    const version = (socket.handshake.auth as { protocolVersion?: unknown })?.protocolVersion;
    if (version !== PROTOCOL_VERSION) {
      return next(
        new Error(`Protocol version mismatch: this server speaks version ${PROTOCOL_VERSION}. Please reload the page.`),
      );
    }
    next();
  });

  function bind(socket: Client, seat: Seat): void {
    const previous = socketsByPlayer.get(seat.playerId);
    if (previous && previous.id !== socket.id) {
      previous.emit("error", { code: "not_in_room", message: "This room is open in another tab or device; this one is now idle." });
      unbind(previous);
    }
    socket.data.code = seat.code;
    socket.data.playerId = seat.playerId;
    socketsByPlayer.set(seat.playerId, socket);
    void socket.join(seat.code);
  }

  function unbind(socket: Client): void {
    if (socket.data.code) void socket.leave(socket.data.code);
    socket.data.code = null;
    socket.data.playerId = null;
  }

  function seatOf(socket: Client): (Seat & { room: RoomRuntime }) | null {
    const { code, playerId } = socket.data;
    const room = code ? rooms.get(code) : undefined;
    return room && playerId ? { code: code!, playerId, room } : null;
  }

  /** Leaving one room (or a seat lost elsewhere) before taking another. */
  function releaseSeat(socket: Client): void {
    const seat = seatOf(socket);
    if (seat && socketsByPlayer.get(seat.playerId) === socket) {
      socketsByPlayer.delete(seat.playerId);
      seat.room.dropLiveInk(seat.playerId);
      seat.room.apply((s) => disconnectPlace(s, seat.playerId, now()));
    }
    unbind(socket);
  }

  /** A socket taking a new seat gives up its old one for good, so one socket holds at most one seat. */
  function leaveSeat(socket: Client): void {
    const seat = seatOf(socket);
    unbind(socket);
    if (!seat || socketsByPlayer.get(seat.playerId) !== socket) return;
    socketsByPlayer.delete(seat.playerId);
    seat.room.apply((s) => leavePlace(s, seat.playerId));
  }

  /** The game's drawings for a socket taking a seat, within its address's budget; null: over it. */
  function snapshotFor(socket: Client, room: RoomRuntime): Buffer | null {
    const bytes = room.snapshotBytes();
    return snapshotBytes.take(addressOf(socket), now(), bytes.length) ? bytes : null;
  }
  const snapshotRefused = () =>
    error("rate_limited", "This room has been reloaded many times from your network just now; wait a minute and try again.");

  type Newcomer = { id: string; nickname: string; address: string };
  const seatPlayer = (state: RoomState, player: Newcomer): Outcome => {
    const kept = seatRefusal(state, player.address, now(), limits.seatsPerRoom);
    return kept ? { ok: false, error: kept } : join(state, player);
  };
  const seatSpectator = (state: RoomState, viewer: Newcomer) => watch(state, viewer, now(), limits.spectatorsPerRoom);

  /**
   * A new place in the room, a seat or a spectator's (`admit` decides): the game's drawings, a
   * token, and the socket bound. Spectators get a players row too, for the seat they may take later.
   */
  async function takePlace(socket: Client, room: RoomRuntime, nickname: string, admit: (state: RoomState, newcomer: Newcomer) => Outcome): Promise<Reply> {
    const snapshot = snapshotFor(socket, room);
    if (!snapshot) return snapshotRefused();
    const playerId = randomUUID();
    const newcomer = { id: playerId, nickname, address: addressOf(socket) };
    const preview = admit(room.snapshot, newcomer);
    if (!preview.ok) return { ok: false, error: preview.error };
    await store.addPlayer({ id: playerId, roomId: room.id, nickname, joinedAt: new Date(now()) });
    leaveSeat(socket);
    // Re-checked against the state as it is after the write: someone may have filled the room.
    const refused = room.apply((s) => admit(s, newcomer));
    if (refused) return { ok: false, error: refused };
    const token = randomBytes(24).toString("base64url");
    seatsByToken.set(token, { code: room.code, playerId });
    tokensByPlayer.set(playerId, token);
    bind(socket, { code: room.code, playerId });
    // The join's broadcast went out before this socket was in the room.
    socket.emit("room:state", room.view());
    sendDrawings(socket, room, snapshot, playerId);
    return { ok: true, code: room.code, playerId, token };
  }

  function resumeSeat(socket: Client, room: RoomRuntime, token: string, seat: Seat): Reply {
    // A socket in its seat already has every stroke (it got them live): asking again costs nothing.
    const seated = seatOf(socket)?.playerId === seat.playerId;
    const snapshot = seated ? null : snapshotFor(socket, room);
    if (!seated && !snapshot) return snapshotRefused();
    if (!seated) releaseSeat(socket);
    bind(socket, seat);
    const refused = room.apply((s) => resumePlace(s, seat.playerId));
    if (refused) return { ok: false, error: refused };
    if (snapshot) sendDrawings(socket, room, snapshot, seat.playerId);
    return { ok: true, code: room.code, playerId: seat.playerId, token };
  }

  /** The game's finished strokes, then the strokes being drawn right now by the others. */
  function sendDrawings(socket: Client, room: RoomRuntime, snapshot: Buffer, playerId: string): void {
    socket.emit("drawings:snapshot", snapshot);
    const live = room.liveInkNow().filter((ink) => ink[0] !== playerId);
    if (live.length > 0) socket.emit("ink:live", live);
  }

  async function createRoomWithUniqueCode(): Promise<RoomRuntime> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const code = makeRoomCode(randomBytes(8));
      if (rooms.has(code)) continue;
      const id = randomUUID();
      const state = newRoomState(code);
      // Another server may hold the code right now; the database's unique code decides otherwise.
      if (cluster && !(await cluster.claim(code))) continue;
      try {
        await store.createRoom({ id, code, settings: state.settings, createdAt: new Date(now()) });
      } catch (err) {
        void cluster?.release(code);
        // Codes are unique over every room ever stored; a clash (or a blip) gets a fresh code.
        if (attempt === 4) throw err;
        continue;
      }
      const room = new RoomRuntime(id, state, runtimeDeps);
      rooms.set(code, room);
      return room;
    }
    throw new Error("could not find a free room code");
  }

  /** room:join and room:watch: the place the token holds in this room back (if of a kind in `resumes`), else a new one. */
  async function enter(
    socket: Client,
    p: { code: string; nickname: string; token?: string | undefined },
    resumes: ("seat" | "spectator")[],
    admit: (state: RoomState, newcomer: Newcomer) => Outcome,
  ): Promise<Reply> {
    // A socket asking again for the room it sits in keeps its seat instead of piling up ghost seats.
    const held = seatOf(socket);
    const token = p.token ?? (held?.code === p.code ? tokensByPlayer.get(held.playerId) : undefined);
    const seat = token ? seatsByToken.get(token) : undefined;
    const resumable = seat && seat.code === p.code ? rooms.get(p.code) : undefined;
    const place = resumable ? placeOf(resumable.snapshot, seat!.playerId) : null;
    // A valid seat token is no guess: it comes back even while this address is cut off for guessing.
    if (place && resumes.includes(place)) return resumeSeat(socket, resumable!, token!, seat!);
    const address = addressOf(socket);
    if (!wrongCodes.has(address, now())) {
      return error("rate_limited", "Too many wrong room codes from your network; wait a minute and try again.");
    }
    const room = rooms.get(p.code);
    if (!room) {
      wrongCodes.take(address, now());
      return error("not_found", `There is no room with the code ${p.code}. Check the link or create a new room.`);
    }
    return takePlace(socket, room, p.nickname, admit);
  }

  const handlers = refuseSpectators<{ [E in ClientEvent]: (socket: Client, p: ParsedClientPayload<E>) => Promise<Reply> | Reply }>({
    "room:create": async (socket, p) => {
      if (!roomsCreated.take(addressOf(socket), now())) {
        return error("rate_limited", "You've opened a lot of rooms just now; wait a minute and try again.");
      }
      const room = await createRoomWithUniqueCode();
      const reply = await takePlace(socket, room, p.nickname, seatPlayer);
      if (!reply.ok) events.empty(room);
      return reply;
    },
    // A spectator asking to join takes a new seat (mid-game: from the next round), no longer watching.
    "room:join": (socket, p) => enter(socket, p, ["seat"], seatPlayer),
    // Watching resumes any place the token holds: a spectator seated at the rematch comes back seated.
    "room:watch": (socket, p) => enter(socket, p, ["seat", "spectator"], seatSpectator),
    "spectator:join-next": (socket, p) =>
      inRoom(socket, (seat) => seat.room.apply((s) => askToJoinNext(s, seat.playerId, p.join, now(), limits.seatsPerRoom))),
    "room:leave": (socket) => {
      if (!seatOf(socket)) return error("not_in_room", "You are not in a room.");
      leaveSeat(socket);
      return { ok: true };
    },
    "room:settings": (socket, p) => inRoom(socket, (seat) => seat.room.apply((s) => updateSettings(s, seat.playerId, p))),
    "game:start": (socket) => inRoom(socket, (seat) => seat.room.apply((s, ctx) => startGame(s, seat.playerId, ctx))),
    "game:rematch": (socket) =>
      inRoom(socket, (seat) => seat.room.apply((s) => seatAskers(rematch(s, seat.playerId), now(), limits.seatsPerRoom))),
    "gallery:next": (socket) => inRoom(socket, (seat) => seat.room.apply((s, ctx) => skipGallery(s, seat.playerId, ctx))),
    "stroke:add": async (socket, p) => {
      const seat = seatOf(socket);
      if (!seat) return error("not_in_room", "Join a room before drawing.");
      const result = await seat.room.addStroke(seat.playerId, p.roundId, p.stroke, socket.id);
      return result.ok ? { ok: true, strokeId: p.stroke.id, duplicate: result.duplicate } : result;
    },
    "stroke:undo": (socket, p) =>
      inRoom(socket, (seat) => seat.room.removeStrokes(seat.playerId, p.roundId, [p.strokeId])),
    "drawing:clear": (socket, p) => inRoom(socket, (seat) => seat.room.removeStrokes(seat.playerId, p.roundId, "all")),
    "player:kick": (socket, p) => inRoom(socket, (seat) => seat.room.apply((s) => voteKick(s, seat.playerId, p.playerId, now()))),
    "drawing:recognized": async (socket, p) => {
      const seat = seatOf(socket);
      if (!seat) return error("not_in_room", "You are not in a room.");
      return seat.room.claimRecognition(seat.playerId, p.roundId, p.strokeId);
    },
  }, (socket) => {
    const seat = seatOf(socket);
    return seat !== null && isSpectator(seat.room.snapshot, seat.playerId);
  });

  /** Runs a seated player's request; the action answers with a refusal or null for success. */
  async function inRoom(
    socket: Client,
    act: (seat: Seat & { room: RoomRuntime }) => ProtocolError | null | Promise<ProtocolError | null>,
  ): Promise<Reply> {
    const seat = seatOf(socket);
    if (!seat) return error("not_in_room", "You are not in a room.");
    const refused = await act(seat);
    return refused ? { ok: false, error: refused } : { ok: true };
  }

  type Handler = (socket: Client, payload: unknown) => Promise<Reply> | Reply;

  /** Live ink from a validated batch; its reply only matters to a forwarding server, which drops it. */
  function liveInk(socket: Client, [strokeId, from, points]: LiveBatch): Reply {
    const seat = seatOf(socket);
    if (!seat) return error("not_in_room", "You are not in a room.");
    seat.room.addLiveInk(seat.playerId, strokeId, from, points);
    return { ok: true };
  }
  const run = (socket: Client, event: RoutedEvent, payload: unknown) =>
    event === "ink:live" ? liveInk(socket, payload as LiveBatch) : (handlers[event] as Handler)(socket, payload);

  const sharing = cluster
    ? shareRooms({
        io,
        cluster,
        now,
        rooms,
        seatsByToken,
        tokensByPlayer,
        socketsByPlayer,
        run,
        releaseSeat,
        restore: (snapshot) => RoomRuntime.restore(snapshot.id, snapshot.state, runtimeDeps),
      })
    : null;

  io.on("connection", (socket: GameSocket) => {
    socket.data = { code: null, playerId: null };
    const limiter = tokenBucket(RATE_PER_SECOND, RATE_BURST, now());
    const liveLimiter = tokenBucket(LIVE_BATCHES_PER_SECOND, LIVE_BATCH_BURST, now());
    let liveRefusedAt = -Infinity;
    /** A flood or malformed batch is told once in a while, not once per batch. */
    const refuseLive = (code: "rate_limited" | "bad_request", message: string): Reply => {
      options.observeLive?.(code);
      if (now() - liveRefusedAt >= LIVE_REFUSAL_EVERY_MS) {
        liveRefusedAt = now();
        socket.emit("error", { code, message, event: "ink:live" });
      }
      return error(code, message);
    };

    function takeLiveInk(payload: unknown): Reply {
      if (!liveLimiter.take(now())) return refuseLive("rate_limited", "Slow down: too much live ink. Your strokes are still saved.");
      const problem = liveBatchProblem(payload);
      if (problem) return refuseLive("bad_request", problem);
      const batch = payload as LiveBatch;
      options.observeLive?.("taken");
      // A room run here needs no routing: skip route()'s promise, 30 batches a second per drawer.
      if (!sharing || !socket.data.code || rooms.has(socket.data.code)) return liveInk(socket, batch);
      sharing.route(socket, "ink:live", batch).catch((err: unknown) => log.warn("live ink not passed on", err));
      return { ok: true };
    }

    socket.onAny((event: unknown, ...args: unknown[]) => {
      // Live ink first, on its own budget: floods of it never refuse or delay strokes.
      if (event === "ink:live") {
        // Pages send it without an ack; a client that asks for one is still answered.
        const ack = typeof args[args.length - 1] === "function" ? (args.pop() as (r: Reply) => void) : null;
        const reply = takeLiveInk(args[0]);
        return ack?.(reply);
      }
      // The ack is always last; a request with an ack and no payload is still answered.
      const ack = typeof args[args.length - 1] === "function" ? (args.pop() as (r: Reply) => void) : null;
      // Event names are the client's to choose (numbers, 60 KB strings): never echo them whole.
      const shownEvent = String(event).slice(0, 64);
      const arrived = performance.now();
      const answer = (reply: Reply) => {
        options.observe?.({ event: shownEvent, reply, seconds: (performance.now() - arrived) / 1000, room: socket.data.code });
        if (!reply.ok) socket.emit("error", { ...reply.error, event: shownEvent });
        ack?.(reply);
      };
      if (!limiter.take(now())) {
        return answer(error("rate_limited", "Slow down: too many messages. Try again in a moment."));
      }
      // Own keys only: `in` would also find "constructor", "__proto__", "toString"... and crash below.
      if (typeof event !== "string" || !Object.hasOwn(handlers, event)) {
        return answer(error("bad_request", `Unknown event "${shownEvent}".`));
      }
      const name = event as ClientEvent;
      const parsed = clientSchemas[name].safeParse(args[0]);
      if (!parsed.success) return answer(error("bad_request", `Invalid ${name}: ${describeIssues(parsed.error)}`));
      Promise.resolve()
        .then(() => (sharing ? sharing.route(socket, name, parsed.data) : run(socket, name, parsed.data)))
        .then(answer)
        .catch((err: unknown) => {
          log.error(`handling ${name} failed`, err);
          answer(error("storage_unavailable", "The server couldn't complete that just now. Please try again."));
        });
    });

    socket.on("disconnect", () => (sharing ? sharing.socketGone(socket) : releaseSeat(socket)));
  });

  /**
   * Whether a room with this code is open, for a page to say "Room not found" before asking for a
   * nickname. A wrong code counts against the address as in room:join, so this is no faster way to guess codes.
   */
  async function lookUpRoom(code: string, address: string): Promise<RoomLookupAnswer> {
    if (!wrongCodes.has(address, now())) return "rate_limited";
    // On another server, or snapshotted before a restart and not taken up again yet.
    const state = rooms.get(code)?.snapshot ?? (cluster ? (await cluster.load(code))?.state : undefined);
    if (state) return { open: true, ...entryChoices(state) };
    // Owned elsewhere but not snapshotted yet: a room that new is in its lobby, with seats free.
    if (cluster && (await cluster.ownerOf(code)) !== null) return { open: true, playing: false, seatFree: true, watchFree: true };
    wrongCodes.take(address, now());
    return "not_found";
  }

  return {
    io,
    rooms,
    recognizer,
    lookUpRoom,
    async close(): Promise<void> {
      sharing?.stop();
      for (const room of rooms.values()) room.close();
      await recognizer.close();
      await danceCoder?.close();
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}
