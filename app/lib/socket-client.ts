// The browser's side of a room: one socket.io connection, join/resume with the seat token,
// the stroke outbox, and the latest state the server pushed. Components read it through
// subscribe/getSnapshot (useSyncExternalStore) and call its methods; nothing else emits.
import { io, type Socket } from "socket.io-client";
import {
  LIVE_BATCH_MS,
  PROTOCOL_VERSION,
  decodeSnapshot,
  type Ack,
  type ClientEvent,
  type ClientPayload,
  type ClientToServerEvents,
  type HandshakeAuth,
  type LiveInk,
  type Point,
  type ProtocolError,
  type ModelVersionView,
  type RoomView,
  type ServerToClientEvents,
  type Settings,
  type Stroke,
} from "../../protocol";
import { addClockSample, clockOffset } from "./clock";
import {
  addRecognition,
  addStroke,
  fromSnapshot,
  mergePending,
  noDrawings,
  noRecognitions,
  recognitionsFromSnapshot,
  removeStrokes,
  strokesOf,
  type Drawings,
  type Recognitions,
} from "./drawings";
import { describeError, isVersionMismatch, retryableCodes } from "./messages";
import { Outbox, type OutboxEntry } from "./outbox";
import { loadSeatToken, outboxKey, saveSeatToken, saveWatching, session } from "./storage";
import { frameBatcher, nextFrame } from "./frame-batcher";
import { LiveSender, addLive, dropLive, noLive, type LiveStrokes } from "./live-ink";

type StrokeAdded = Parameters<ServerToClientEvents["stroke:added"]>[0];
/** Others' drawing as it arrives, applied in arrival order once per frame. */
type Incoming = { added: StrokeAdded } | { live: LiveInk; at: number };

type GameSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type AckOf<E extends ClientEvent> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0];

const ACK_TIMEOUT_MS = 10_000;
/** Strokes sent before waiting for acks: keeps a big re-send under the server's rate limit. */
const MAX_IN_FLIGHT = 8;
const RETRY_MIN_MS = 1_000;
const RETRY_MAX_MS = 15_000;
const TOAST_MS = 6_000;

export type Status = "connecting" | "joining" | "joined" | "reconnecting";
export type FatalKind = "not_found" | "room_full" | "version" | "kicked" | "removed" | "bad_nickname";
export type Fatal = { kind: FatalKind; message: string };
export type Toast = { id: number; level: "error" | "warning" | "info"; message: string };

export type RoomSnapshot = {
  status: Status;
  /** Set when the page can't go on by itself (unknown room, full room, old page version...). */
  fatal: Fatal | null;
  room: RoomView | null;
  playerId: string | null;
  drawings: Drawings;
  /** Strokes the others are drawing right now, in the current round (live ink). */
  live: LiveStrokes;
  /** Doodles of this game the AI recognized, as the server confirmed. */
  recognitions: Recognitions;
  /** Strokes not yet acknowledged by the server, oldest first. */
  pending: readonly OutboxEntry[];
  clockSamples: readonly number[];
  toasts: readonly Toast[];
  /** The model version the server last announced (`model:active`); null until it announces one. */
  activeModel: ModelVersionView | null;
};

function connect(): GameSocket {
  const auth: HandshakeAuth = { protocolVersion: PROTOCOL_VERSION };
  return io({ transports: ["websocket"], auth, path: "/socket.io" });
}

/** Sends one request and waits for its ack; null when no ack came (timeout or disconnect). */
function request<E extends ClientEvent>(socket: GameSocket, event: E, payload: ClientPayload<E>): Promise<AckOf<E> | null> {
  // socket.io's typings can't follow a generic event name through timeout(); the payload
  // and ack types are still tied to `event` by this function's signature.
  const timed = socket.timeout(ACK_TIMEOUT_MS) as unknown as {
    emit(ev: E, p: ClientPayload<E>, cb: (err: Error | null, ack: AckOf<E>) => void): void;
  };
  return new Promise((resolve) => timed.emit(event, payload, (err, ack) => resolve(err ? null : ack)));
}

/** Opens a room on the home page; the room page then joins it with the returned token. */
export function createRoom(nickname: string): Promise<{ code: string; token: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect();
    const fail = (message: string) => {
      socket.disconnect();
      reject(new Error(message));
    };
    socket.on("connect_error", (err) => {
      if (isVersionMismatch(err.message) || !socket.active) fail(`${err.message}. Please reload the page.`);
    });
    socket.once("connect", async () => {
      const ack = await request(socket, "room:create", { nickname });
      if (!ack) return fail("The server didn't answer. Check your connection and try again.");
      if (!ack.ok) return fail(describeError(ack.error));
      socket.disconnect();
      saveSeatToken(ack.code, ack.token);
      resolve({ code: ack.code, token: ack.token });
    });
  });
}

export class RoomClient {
  private socket: GameSocket | null = null;
  private nickname = "";
  /** Came as a spectator (room:watch) and has not been given a seat since. */
  private watching = false;
  private readonly outbox: Outbox;
  /** Stroke id -> number of the send awaiting its ack (older sends' acks are ignored). */
  private readonly inFlight = new Map<string, number>();
  /** Ids that went out at least once: undoing those needs the server, not just the outbox. */
  private readonly sent = new Set<string>();
  private sendSeq = 0;
  /** The latest recognition claim, held until its stroke is acknowledged. */
  private claim: { roundId: string; strokeId: string } | null = null;
  private retryDelay = RETRY_MIN_MS;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private toastSeq = 0;
  private stopped = false;
  private listeners = new Set<() => void>();
  private snap: RoomSnapshot;

  constructor(readonly code: string) {
    this.outbox = new Outbox(session(), outboxKey(code));
    this.snap = {
      status: "connecting",
      fatal: null,
      room: null,
      playerId: null,
      drawings: noDrawings,
      live: noLive,
      recognitions: noRecognitions,
      pending: this.outbox.entries,
      clockSamples: [],
      activeModel: null,
      toasts: [],
    };
  }

  // ---- store --------------------------------------------------------------------

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getSnapshot = (): RoomSnapshot => this.snap;

  /** Others' strokes and live ink, applied once per frame however fast they arrive. */
  private readonly incoming = frameBatcher<Incoming>((events) => {
    let { drawings, live } = this.snap;
    const round = this.snap.room?.rounds.at(-1)?.id;
    for (const e of events) {
      if ("added" in e) {
        const { roundId, playerId, stroke } = e.added;
        drawings = addStroke(drawings, roundId, playerId, stroke);
        live = dropLive(live, playerId, [stroke.id]);
      } else {
        const [playerId, strokeId] = e.live;
        const finished = strokesOf(drawings, round, playerId).some((s) => s.id === strokeId);
        live = addLive(live, e.live, e.at, finished);
      }
    }
    this.update({ drawings, live });
  }, nextFrame);

  /** The gesture in progress on this player's pad, sent as live ink every LIVE_BATCH_MS. */
  private readonly liveSender = new LiveSender();
  private gesture: readonly Point[][] = [];
  private liveTimer: ReturnType<typeof setTimeout> | null = null;

  private update(patch: Partial<RoomSnapshot>): void {
    this.snap = { ...this.snap, ...patch, pending: this.outbox.entries };
    for (const fn of this.listeners) fn();
  }

  private toast(level: Toast["level"], message: string): void {
    const existing = this.snap.toasts.find((t) => t.message === message);
    const id = ++this.toastSeq;
    const others = this.snap.toasts.filter((t) => t !== existing);
    this.update({ toasts: [...others, { id, level, message }].slice(-4) });
    setTimeout(() => this.dismissToast(id), TOAST_MS);
  }

  dismissToast(id: number): void {
    if (this.snap.toasts.some((t) => t.id === id)) this.update({ toasts: this.snap.toasts.filter((t) => t.id !== id) });
  }

  // ---- connection ---------------------------------------------------------------

  start(nickname: string, watching = this.watching): void {
    this.nickname = nickname;
    this.watching = watching;
    this.stopped = false;
    if (this.socket) return;
    const socket = connect();
    this.socket = socket;

    socket.on("connect", () => {
      this.update({ status: "joining", fatal: null });
      void this.join();
    });
    socket.on("connect_error", (err) => {
      if (isVersionMismatch(err.message)) {
        this.fail({ kind: "version", message: err.message });
        return;
      }
      this.update({ status: "reconnecting" });
      // Refused by a server middleware: socket.io won't retry by itself.
      if (!socket.active) setTimeout(() => !this.stopped && socket.connect(), 2_000);
    });
    socket.on("disconnect", (reason) => {
      this.inFlight.clear();
      if (this.stopped) return;
      this.update({ status: "reconnecting" });
      // The server hung up (e.g. a restart): socket.io leaves reconnecting to us then.
      if (reason === "io server disconnect") setTimeout(() => !this.stopped && socket.connect(), 1_000);
    });

    socket.on("room:state", (room) => {
      // Seated at the rematch: from now on this page comes back as a player.
      if (this.watching && room.players.some((p) => p.id === this.snap.playerId)) this.setWatching(false);
      // Strokes in progress belong to the round being drawn; a new phase or round ends them.
      const before = this.snap.room;
      const sameRound = room.phase === "drawing" && before?.phase === "drawing" && before.rounds.at(-1)?.id === room.rounds.at(-1)?.id;
      this.update({
        room,
        live: sameRound ? this.snap.live : noLive,
        clockSamples: addClockSample(this.snap.clockSamples, room.serverNow, Date.now()),
      });
    });
    socket.on("drawings:snapshot", (bytes) => {
      const views = decodeSnapshot(bytes);
      this.incoming.flush();
      // The strokes in progress follow the snapshot as ink:live, whole.
      this.update({ drawings: fromSnapshot(views), live: noLive, recognitions: recognitionsFromSnapshot(views) });
    });
    socket.on("drawing:recognized", (e) =>
      this.update({ recognitions: addRecognition(this.snap.recognitions, e.roundId, e.playerId, e.atMs) }),
    );
    socket.on("stroke:added", (e) => this.incoming.push({ added: e }));
    socket.on("ink:live", (batches) => {
      const at = performance.now();
      for (const e of batches) if (e[0] !== this.snap.playerId) this.incoming.push({ live: e, at });
    });
    socket.on("stroke:removed", (e) => {
      this.incoming.flush(); // removals apply after the strokes that came before them
      this.update({
        drawings: removeStrokes(this.snap.drawings, e.roundId, e.playerId, e.strokeIds),
        live: dropLive(this.snap.live, e.playerId, e.strokeIds),
      });
    });
    // The server reports every refused request here as well as in its ack, so this is
    // the one place refusals are shown.
    socket.on("error", (e) => {
      if (e.event === "room:join") return; // the join flow turns these into a screen
      if (e.event === "drawing:recognized") return; // a refused claim only means no bonus
      if (e.code === "removed") {
        saveSeatToken(this.code, null);
        this.fail({ kind: "removed", message: e.message });
        return;
      }
      if (e.code === "not_in_room") {
        this.fail({ kind: "kicked", message: "This room is open in another tab or on another device, so this one is idle." });
        return;
      }
      this.toast("error", describeError(e));
    });
    socket.on("notice", (n) => this.toast(n.level, n.message));
    socket.on("model:active", (m) => this.update({ activeModel: m }));
  }

  /** Takes the seat back after being sent away ("play here"). */
  resume(): void {
    this.update({ fatal: null, status: "connecting" });
    this.start(this.nickname);
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (this.liveTimer) clearTimeout(this.liveTimer);
    this.liveTimer = null;
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = null;
  }

  private fail(fatal: Fatal): void {
    this.update({ fatal });
    this.stop();
  }

  private async join(): Promise<void> {
    const socket = this.socket;
    if (!socket) return;
    const ack = await request(socket, this.watching ? "room:watch" : "room:join", { code: this.code, nickname: this.nickname, token: loadSeatToken(this.code) });
    if (socket !== this.socket || !socket.connected) return;
    if (!ack) {
      setTimeout(() => socket === this.socket && socket.connected && void this.join(), 2_000);
      return;
    }
    if (!ack.ok) {
      this.onJoinError(ack.error);
      return;
    }
    saveSeatToken(this.code, ack.token);
    this.setWatching(this.watching);
    this.retryDelay = RETRY_MIN_MS;
    this.update({ status: "joined", playerId: ack.playerId });
    // The server dropped a stroke in progress with the old connection: it goes again whole.
    this.liveSender.restart();
    this.sendLive();
    this.flush();
    this.sendClaim();
  }

  private onJoinError(error: ProtocolError): void {
    switch (error.code) {
      case "not_found":
        saveSeatToken(this.code, null);
        return this.fail({ kind: "not_found", message: "This room doesn't exist — create a new one." });
      case "room_full":
        return this.fail({ kind: "room_full", message: describeError(error) });
      case "removed":
        return this.fail({ kind: "removed", message: error.message });
      case "bad_request":
        // The nickname (or a mangled stored token) was refused: ask again, start afresh.
        saveSeatToken(this.code, null);
        return this.fail({ kind: "bad_nickname", message: error.message });
      default:
        this.toast("error", describeError(error));
        setTimeout(() => this.socket?.connected && void this.join(), 3_000);
    }
  }

  // ---- strokes ------------------------------------------------------------------

  /**
   * The gesture in progress, as it grows: the others see it as live ink. Sent at most every
   * LIVE_BATCH_MS, whatever the pointer's rate; the pen lifting hands the gesture to addStrokes.
   */
  drawProgress(pieces: readonly Point[][]): void {
    this.gesture = pieces;
    this.liveTimer ??= setTimeout(() => {
      this.liveTimer = null;
      this.sendLive();
    }, LIVE_BATCH_MS);
  }

  private sendLive(): void {
    const socket = this.socket;
    if (!socket?.connected || this.snap.status !== "joined" || this.gesture.length === 0) return;
    for (const batch of this.liveSender.batches(this.gesture)) socket.emit("ink:live", batch);
  }

  /** Queues the strokes of one gesture and sends them; they survive reloads until acked. */
  addStrokes(roundId: string, pieces: readonly Point[][]): void {
    // Under the ids its live ink had, so the others swap the live points for the finished strokes.
    const ids = this.liveSender.finish(pieces.length);
    this.gesture = [];
    pieces.forEach((points, i) => this.outbox.add({ roundId, stroke: { id: ids[i]!, points } }));
    if (!this.outbox.persisted) this.toast("warning", "Your browser isn't letting us keep unsent strokes; don't reload until they're saved.");
    this.update({});
    this.flush();
  }

  /** Own strokes of a round as this player sees them: stored ones plus the unsent ones. */
  ownStrokes(roundId: string): readonly Stroke[] {
    const me = this.snap.playerId;
    const pending = this.outbox.entries.filter((e) => e.roundId === roundId).map((e) => e.stroke);
    return mergePending(me ? strokesOf(this.snap.drawings, roundId, me) : [], pending);
  }

  undo(roundId: string): void {
    const last = this.ownStrokes(roundId).at(-1);
    const me = this.snap.playerId;
    if (!last || !me) return;
    const wasSent = this.sent.has(last.id) || !this.outbox.has(last.id);
    this.outbox.remove(last.id);
    this.update({ drawings: removeStrokes(this.snap.drawings, roundId, me, [last.id]) });
    if (wasSent) void this.act("stroke:undo", { roundId, strokeId: last.id });
  }

  clear(roundId: string): void {
    const me = this.snap.playerId;
    if (!me) return;
    const ids = this.ownStrokes(roundId).map((s) => s.id);
    this.outbox.removeRound(roundId);
    this.update({ drawings: removeStrokes(this.snap.drawings, roundId, me, ids) });
    void this.act("drawing:clear", { roundId });
  }

  private flush(): void {
    const socket = this.socket;
    if (!socket?.connected || this.snap.status !== "joined") return;
    for (const entry of this.outbox.entries) {
      if (this.inFlight.size >= MAX_IN_FLIGHT) return;
      if (!this.inFlight.has(entry.stroke.id)) void this.send(socket, entry);
    }
  }

  private async send(socket: GameSocket, entry: OutboxEntry): Promise<void> {
    const seq = ++this.sendSeq;
    const id = entry.stroke.id;
    this.inFlight.set(id, seq);
    this.sent.add(id);
    const ack = await request(socket, "stroke:add", entry);
    if (this.inFlight.get(id) !== seq) return;
    this.inFlight.delete(id);
    if (ack?.ok) {
      this.retryDelay = RETRY_MIN_MS;
      // Still queued means not undone meanwhile: show it as stored (the server may not echo it to us).
      if (this.outbox.has(id) && this.snap.playerId) {
        this.outbox.remove(id);
        this.update({ drawings: addStroke(this.snap.drawings, entry.roundId, this.snap.playerId, entry.stroke) });
      }
      this.flush();
      this.sendClaim();
      return;
    }
    // A refusal was already shown (error event); a stroke that can never be accepted is dropped.
    if (ack && !retryableCodes.has(ack.error.code)) {
      this.outbox.remove(id);
      this.update({});
      this.flush();
      return;
    }
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.flush();
    }, this.retryDelay);
    this.retryDelay = Math.min(RETRY_MAX_MS, this.retryDelay * 2);
  }

  // ---- the AI guesser -------------------------------------------------------------

  /**
   * Tells the server the AI's top guess was the word once this drawing reached `strokeId`. The
   * server checks the strokes it holds, so the claim waits until that stroke is acknowledged. The
   * answer arrives as a `drawing:recognized` event (to everyone) or not at all.
   */
  claimRecognition(roundId: string, strokeId: string): void {
    this.claim = { roundId, strokeId };
    this.sendClaim();
  }

  private sendClaim(): void {
    const claim = this.claim, socket = this.socket;
    if (!claim || !socket?.connected || this.snap.status !== "joined" || this.outbox.has(claim.strokeId)) return;
    this.claim = null;
    // Undone meanwhile: the claim is void.
    if (!this.ownStrokes(claim.roundId).some((s) => s.id === claim.strokeId)) return;
    void request(socket, "drawing:recognized", claim);
  }

  // ---- room actions -------------------------------------------------------------

  /** Sends a request; resolves true on success (refusals arrive as error events). */
  private async act<E extends ClientEvent>(event: E, payload: ClientPayload<E>): Promise<boolean> {
    const socket = this.socket;
    if (!socket?.connected) {
      this.toast("warning", "You're offline right now; try again once reconnected.");
      return false;
    }
    const ack = (await request(socket, event, payload)) as Ack | null;
    if (!ack) {
      this.toast("warning", "The server didn't answer in time. Try again.");
      return false;
    }
    return ack.ok;
  }

  updateSettings(settings: Settings): Promise<boolean> {
    return this.act("room:settings", settings);
  }

  startGame(): Promise<boolean> {
    return this.act("game:start", {});
  }

  rematch(): Promise<boolean> {
    return this.act("game:rematch", {});
  }

  /** Host only: ends the gallery now. */
  skipGallery(): Promise<boolean> {
    return this.act("gallery:next", {});
  }

  /** A spectator asks for a seat at the next game (in the lobby: now), or stops asking. */
  joinNextGame(join: boolean): Promise<boolean> {
    return this.act("spectator:join-next", { join });
  }

  private setWatching(watching: boolean): void {
    this.watching = watching;
    saveWatching(this.code, watching);
  }

  voteKick(playerId: string): Promise<boolean> {
    return this.act("player:kick", { playerId });
  }

  /** Gives the seat up for good (the token is forgotten). */
  async leave(): Promise<void> {
    this.socket?.off("error");
    if (this.socket?.connected) await request(this.socket, "room:leave", {});
    saveSeatToken(this.code, null);
    this.setWatching(false);
    this.outbox.removeAll();
    this.stop();
  }

  /** The server's clock as this client estimates it. */
  serverNow(): number {
    return Date.now() + clockOffset(this.snap.clockSamples);
  }
}
