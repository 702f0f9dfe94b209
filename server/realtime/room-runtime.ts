// One live room on this server: the rules' state, the current game's strokes, and the timer.
// Every change goes through `apply`, which stores the new state, carries out the rules'
// effects (persistence) and tells the room's sockets.
import {
  MAX_LIVE_STROKES_PER_PLAYER,
  MAX_POINTS_PER_DRAWING,
  MAX_POINTS_PER_GAME,
  MAX_STROKES_PER_DRAWING,
  MAX_STROKES_SENT_PER_DRAWING,
  newPointsFrom,
  type LiveInk,
  type ProtocolError,
  type Recognition,
  type Stroke,
} from "../../protocol";
import {
  checkDrawing,
  nextDeadline,
  setDanceCodes,
  tick,
  toRoomView,
  type Context,
  type Effect,
  type Outcome,
  type RoomState,
  type Round,
} from "../../game/room";
import { scoreDoodles } from "../../game/scoring";
import { isRecognized } from "../../model/guess";
import { drawingFromPoints } from "../../model/rasterize";
import { RecognizerBusy, type Recognizer } from "../recognition/recognizer";
import type { DanceCoder } from "../dance-codes/dance-coder";
import type { GameStore } from "../persistence/types";
import { log, throttledWarning } from "../log";
import { firstPointMs, packStroke, strokeJson, unpackStroke, type PackedStroke } from "./packed-strokes";

/** One player's drawing in one round, as this server holds it for live views and galleries. */
type LiveDrawing = {
  drawingId: string;
  /** Strokes still on the canvas, in drawing order. */
  strokes: Map<string, PackedStroke>;
  /** Saves in flight or done, by client id: re-sends wait for these instead of writing twice. */
  saves: Map<string, Promise<void>>;
  /** Points and strokes ever put on the canvas, undone and cleared ones too: what storage holds. */
  ink: { points: number; strokes: number };
  /** `strokes` as JSON text, written once after each change and reused by every snapshot. */
  json: string | null;
  /** Strokes still being drawn (ink:live), flat x,y,t: shown to the others and to late joiners, never stored. */
  live: Map<string, number[]>;
};

const newDrawing = (drawingId: string, ink = { points: 0, strokes: 0 }): LiveDrawing => ({
  drawingId,
  strokes: new Map(),
  saves: new Map(),
  ink,
  json: null,
  live: new Map(),
});

const tooLarge = (message: string) => ({ ok: false as const, error: { code: "too_large" as const, message } });

export type RoomEvents = {
  /** The room's state changed: send the new view. */
  changed(room: RoomRuntime): void;
  strokeAdded(room: RoomRuntime, e: { roundId: string; playerId: string; stroke: Stroke }, fromSocketId: string): void;
  /** Points of strokes still being drawn in the current round: every batch that came in one turn of the event loop. */
  liveInk(room: RoomRuntime, batches: LiveInk[]): void;
  strokesRemoved(room: RoomRuntime, e: { roundId: string; playerId: string; strokeIds: string[] }): void;
  /** A seat is gone: its player left, timed out, or was voted out (`kicked`). */
  seatRemoved(room: RoomRuntime, playerId: string, kicked: boolean): void;
  /** The server confirmed that the AI recognized a doodle. */
  recognized(room: RoomRuntime, e: Recognition): void;
  empty(room: RoomRuntime): void;
};

export type RuntimeDeps = {
  store: GameStore;
  events: RoomEvents;
  /** The AI guesser that checks recognition claims. */
  recognizer: Recognizer;
  /** Refines the dance's codes; without it browsers encode the doodles themselves. */
  danceCoder?: DanceCoder;
  now: () => number;
  /** Rules' context minus the clock and the scoring hook, which the runtime supplies. */
  context: Omit<Context, "now" | "scoreRound">;
};

export class RoomRuntime {
  readonly id: string;
  private state: RoomState;
  private timer: NodeJS.Timeout | null = null;
  /** roundId -> playerId -> drawing */
  private drawings = new Map<string, Map<string, LiveDrawing>>();
  /** Strokes may only be written once their round's rows exist. */
  private roundsStored = new Map<string, Promise<void>>();
  private closed = false;
  private readonly warnStrokeNotStored = throttledWarning(`strokes not stored`);
  /** By drawing id: when the AI recognized it (null: not yet), and the strokes already claimed for. */
  private recognitions = new Map<string, { atMs: number | null; claimed: Set<string> }>();
  /** The dance whose codes were last asked for (each dance asks once). */
  private codesAskedFor: string | null = null;
  /** Live ink taken this turn, sent at its end (flushLive). */
  private liveDue: LiveInk[] = [];
  /** drawings:snapshot as sent, until a drawing changes: re-joins reuse the bytes. */
  private snapshotCache: Buffer | null = null;

  constructor(id: string, state: RoomState, private readonly deps: RuntimeDeps) {
    this.id = id;
    this.state = state;
  }

  /**
   * Rebuilds a room another server ran until it went away: the rules' state from its snapshot,
   * the current game's drawings from the store (every acknowledged stroke is there), and the timer.
   */
  static async restore(id: string, state: RoomState, deps: RuntimeDeps): Promise<RoomRuntime> {
    const room = new RoomRuntime(id, state, deps);
    for (const round of state.rounds) {
      const stored = await deps.store.loadRoundDrawings(round.id);
      if (stored.length === 0) {
        // The old owner died before the round's rows landed: store them now.
        room.startRoundDrawings(round);
        continue;
      }
      const byPlayer = new Map<string, LiveDrawing>();
      for (const d of stored) {
        const drawing = newDrawing(d.drawingId, { ...d.ink });
        for (const s of d.strokes) {
          drawing.strokes.set(s.clientId, packStroke({ id: s.clientId, points: s.points }));
          // Re-sends of these strokes are answered as duplicates, as on the old owner.
          drawing.saves.set(s.clientId, Promise.resolve());
        }
        byPlayer.set(d.playerId, drawing);
        if (d.recognizedAtMs !== null) room.recognitions.set(d.drawingId, { atMs: d.recognizedAtMs, claimed: new Set() });
      }
      room.drawings.set(round.id, byPlayer);
      room.roundsStored.set(round.id, Promise.resolve());
    }
    room.schedule();
    return room;
  }

  get code(): string {
    return this.state.code;
  }

  get snapshot(): RoomState {
    return this.state;
  }

  view() {
    return { ...toRoomView(this.state, this.deps.now()), gallery: { roomId: this.id, gameNumber: this.state.gameNumber } };
  }

  private context(): Context {
    return {
      ...this.deps.context,
      now: this.deps.now(),
      scoreRound: (round) => this.score(round),
      inkedDrawers: (round) => [...(this.drawings.get(round.id) ?? [])].filter(([, d]) => d.strokes.size > 0).map(([id]) => id),
    };
  }

  /** Runs a rule; on success stores the state, carries out its effects and tells everyone. */
  apply(rule: (state: RoomState, ctx: Context) => Outcome): ProtocolError | null {
    const outcome = rule(this.state, this.context());
    if (!outcome.ok) return outcome.error;
    this.state = outcome.state;
    for (const effect of outcome.effects) this.carryOut(effect);
    this.schedule();
    this.deps.events.changed(this);
    if (this.state.seats.length === 0) this.deps.events.empty(this);
    this.askDanceCodes();
    return null;
  }

  /** A new dance gets its codes from the coder; they join the plan (and reach everyone) when ready. */
  private askDanceCodes(): void {
    const dance = this.state.dance;
    const coder = this.deps.danceCoder;
    if (!dance || dance.codes || !coder || this.codesAskedFor === dance.id) return;
    this.codesAskedFor = dance.id;
    const drawings = dance.steps.map((s) =>
      drawingFromPoints([...(this.drawings.get(s.roundId)?.get(s.playerId)?.strokes.values() ?? [])].map(unpackStroke)),
    );
    coder
      .codes(drawings)
      .then((codes) => {
        // A dance that ended meanwhile is refused by the rule; nothing to do then.
        if (!this.closed) this.apply(setDanceCodes(dance.id, codes));
      })
      .catch((err) => log.warn(`room ${this.code}: no dance codes, browsers will encode the doodles`, err));
  }

  private carryOut(effect: Effect): void {
    const { store } = this.deps;
    switch (effect.type) {
      case "roundStarted":
        this.startRoundDrawings(effect.round);
        break;
      case "roundEnded":
        // Strokes still in progress end with the round; their finished strokes may still come (the grace).
        for (const drawing of this.drawings.get(effect.round.id)?.values() ?? []) drawing.live.clear();
        this.roundsStored
          .get(effect.round.id)
          ?.then(() => store.endRound(effect.round.id, new Date(effect.round.endedAt!)))
          .catch((err) => log.warn(`room ${this.code}: could not record the end of a round`, err));
        break;
      case "seatRemoved":
        this.deps.events.seatRemoved(this, effect.playerId, effect.kicked ?? false);
        break;
      case "gameEnded":
        break;
    }
  }

  private startRoundDrawings(round: Round): void {
    if (round.index === 0) {
      this.drawings.clear();
      this.recognitions.clear();
    }
    const byPlayer = new Map<string, LiveDrawing>();
    for (const playerId of round.drawers) byPlayer.set(playerId, newDrawing(this.deps.context.newId()));
    this.drawings.set(round.id, byPlayer);
    this.snapshotCache = null;
    this.roundsStored.set(round.id, this.storeRound(round, byPlayer));
  }

  private storeRound(round: Round, byPlayer: Map<string, LiveDrawing>): Promise<void> {
    const stored = this.deps.store.startRound({
      id: round.id,
      roomId: this.id,
      gameNumber: this.state.gameNumber,
      index: round.index,
      word: round.word,
      startedAt: new Date(round.startedAt),
      drawings: [...byPlayer].map(([playerId, d]) => ({ id: d.drawingId, playerId })),
    });
    // A failed write is retried by the next stroke that needs it rather than failing forever.
    stored.catch((err) => {
      log.warn(`room ${this.code}: could not store round ${round.index + 1}`, err);
      if (this.roundsStored.get(round.id) === stored) this.roundsStored.delete(round.id);
    });
    return stored;
  }

  private roundStored(roundId: string): Promise<void> {
    const known = this.roundsStored.get(roundId);
    if (known) return known;
    const round = this.state.rounds.find((r) => r.id === roundId);
    const byPlayer = this.drawings.get(roundId);
    if (!round || !byPlayer) return Promise.reject(new Error("unknown round"));
    const retry = this.storeRound(round, byPlayer);
    this.roundsStored.set(roundId, retry);
    return retry;
  }

  private score(round: Round): Record<string, number> {
    const byPlayer = this.drawings.get(round.id);
    const counts = Object.fromEntries([...(byPlayer ?? [])].map(([id, d]) => [id, d.strokes.size]));
    const recognized = Object.fromEntries([...(byPlayer ?? [])].map(([id, d]) => [id, this.recognizedAtMs(d.drawingId)]));
    return scoreDoodles(round, counts, recognized);
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const deadline = nextDeadline(this.state);
    if (deadline === null || this.closed) return;
    this.timer = setTimeout(() => this.apply(tick), Math.max(0, deadline - this.deps.now()));
  }

  private drawingOf(playerId: string, roundId: string, lastPointMs = 0): LiveDrawing | ProtocolError {
    const refused = checkDrawing(this.state, playerId, roundId, this.deps.now(), lastPointMs);
    if (refused) return refused;
    const drawing = this.drawings.get(roundId)?.get(playerId);
    return drawing ?? { code: "not_found", message: "No drawing of yours in that round." };
  }

  /**
   * Adds a finished stroke: shown to the others at once, acknowledged once stored.
   * The same client id again is answered from the first save and never written twice.
   */
  async addStroke(
    playerId: string,
    roundId: string,
    stroke: Stroke,
    fromSocketId: string,
  ): Promise<{ ok: true; duplicate: boolean } | { ok: false; error: ProtocolError }> {
    const lastPointMs = stroke.points[stroke.points.length - 1]![2];
    const drawing = this.drawingOf(playerId, roundId, lastPointMs);
    if ("code" in drawing) return { ok: false, error: drawing };

    const earlier = drawing.saves.get(stroke.id);
    if (earlier) {
      try {
        await earlier;
        return { ok: true, duplicate: true };
      } catch {
        // The first save failed: this re-send is the retry.
      }
    } else {
      const refused = this.inkRefusal(playerId, drawing, stroke.points.length);
      if (refused) return tooLarge(refused);
    }

    if (!drawing.strokes.has(stroke.id)) {
      drawing.live.delete(stroke.id);
      drawing.strokes.set(stroke.id, packStroke(stroke));
      drawing.ink.points += stroke.points.length;
      drawing.ink.strokes += 1;
      this.drawingChanged(drawing);
      this.deps.events.strokeAdded(this, { roundId, playerId, stroke }, fromSocketId);
    }
    const save = this.roundStored(roundId).then(() =>
      this.deps.store.saveStrokes([{ drawingId: drawing.drawingId, clientId: stroke.id, points: stroke.points }]),
    );
    drawing.saves.set(stroke.id, save);
    try {
      await save;
      return { ok: true, duplicate: false };
    } catch (err) {
      if (drawing.saves.get(stroke.id) === save) drawing.saves.delete(stroke.id);
      this.warnStrokeNotStored(err);
      return {
        ok: false,
        error: { code: "storage_unavailable", message: "Your stroke couldn't be saved yet; it will be re-sent." },
      };
    }
  }

  /** Why a new stroke of `points` points can't go on this drawing, or null if it can. */
  private inkRefusal(playerId: string, drawing: LiveDrawing, points: number): string | null {
    if (drawing.strokes.size >= MAX_STROKES_PER_DRAWING) return `A doodle holds at most ${MAX_STROKES_PER_DRAWING} strokes.`;
    if (drawing.ink.strokes >= MAX_STROKES_SENT_PER_DRAWING || drawing.ink.points + points > MAX_POINTS_PER_DRAWING) {
      return (
        `This doodle has used up its ink (${MAX_POINTS_PER_DRAWING.toLocaleString("en")} points or ` +
        `${MAX_STROKES_SENT_PER_DRAWING.toLocaleString("en")} strokes a round, undone and cleared ones included).`
      );
    }
    let game = 0;
    for (const byPlayer of this.drawings.values()) game += byPlayer.get(playerId)?.ink.points ?? 0;
    if (game + points > MAX_POINTS_PER_GAME) {
      return `You've used up your ink for this game (${MAX_POINTS_PER_GAME.toLocaleString("en")} points); the next game starts afresh.`;
    }
    return null;
  }

  private drawingChanged(drawing: LiveDrawing): void {
    drawing.json = null;
    this.snapshotCache = null;
  }

  /** Undo (one id) or clear (all of them): the strokes leave the canvas but stay stored, marked removed. */
  async removeStrokes(playerId: string, roundId: string, strokeIds: string[] | "all"): Promise<ProtocolError | null> {
    const drawing = this.drawingOf(playerId, roundId);
    if ("code" in drawing) return drawing;
    const ids = strokeIds === "all" ? [...drawing.strokes.keys()] : strokeIds.filter((id) => drawing.strokes.has(id));
    // A clear also wipes a stroke still being drawn, as it does on the drawer's canvas.
    const live = strokeIds === "all" ? [...drawing.live.keys()] : [];
    for (const id of live) drawing.live.delete(id);
    if (ids.length + live.length === 0) return null;
    for (const id of ids) drawing.strokes.delete(id);
    this.drawingChanged(drawing);
    this.deps.events.strokesRemoved(this, { roundId, playerId, strokeIds: [...ids, ...live] });
    if (ids.length === 0) return null;
    try {
      // A removal must land after the stroke's own insert, or the stroke would come back.
      await Promise.allSettled(ids.map((id) => drawing.saves.get(id)));
      await this.deps.store.removeStrokes(drawing.drawingId, ids, new Date(this.deps.now()));
      return null;
    } catch (err) {
      log.warn(`room ${this.code}: undo not stored`, err);
      return { code: "storage_unavailable", message: "The undo couldn't be saved; try again in a moment." };
    }
  }

  /**
   * Points of a stroke `playerId` is drawing now, in the current round: passed on to the others and
   * kept for late joiners until the finished stroke (same id) replaces them. Batches out of turn, for
   * a finished stroke, after the round or past the ink caps are dropped without a word: live ink is
   * a preview, and the finished stroke carries the refusal if there is one.
   */
  addLiveInk(playerId: string, strokeId: string, from: number, points: number[]): void {
    const round = this.state.phase === "drawing" ? this.state.rounds.at(-1) : undefined;
    if (!round || round.endedAt !== null || checkDrawing(this.state, playerId, round.id, this.deps.now(), points.at(-1))) return;
    const drawing = this.drawings.get(round.id)?.get(playerId);
    if (!drawing || drawing.strokes.has(strokeId) || drawing.ink.points >= MAX_POINTS_PER_DRAWING) return;
    const current = drawing.live.get(strokeId);
    if (!current && from !== 0) return;
    const skip = newPointsFrom((current?.length ?? 0) / 3, from, points.length / 3);
    if (skip === null) return;
    if (current) {
      for (let i = skip * 3; i < points.length; i++) current.push(points[i]!);
    } else {
      if (drawing.live.size >= MAX_LIVE_STROKES_PER_PLAYER) this.dropLive(round.id, playerId, drawing, [drawing.live.keys().next().value!]);
      drawing.live.set(strokeId, [...points]);
    }
    if (this.liveDue.length === 0) setImmediate(() => this.flushLive());
    this.liveDue.push([playerId, strokeId, from, points]);
  }

  /**
   * Sends the live ink that came in this turn, as one message to the room: under load, many
   * drawers' batches arrive per turn, and one message instead of one per batch is what keeps a
   * room of ten drawing players from costing ten times the messages. Batches of strokes that
   * stopped being live meanwhile (finished, cleared, dropped, the round over) are left out: the
   * others were told of that already, and a batch after it would bring back a stroke that is gone.
   */
  private flushLive(): void {
    const round = this.state.rounds.at(-1);
    const drawings = round && this.drawings.get(round.id);
    const due = this.liveDue.filter(([playerId, strokeId]) => drawings?.get(playerId)?.live.has(strokeId));
    this.liveDue = [];
    if (due.length > 0) this.deps.events.liveInk(this, due);
  }

  /** A drawer gone mid-stroke: the others stop waiting for the rest of it (a reconnect re-sends the finished stroke). */
  dropLiveInk(playerId: string): void {
    const round = this.state.rounds.at(-1);
    const drawing = round && this.drawings.get(round.id)?.get(playerId);
    if (drawing && drawing.live.size > 0) this.dropLive(round.id, playerId, drawing, [...drawing.live.keys()]);
  }

  private dropLive(roundId: string, playerId: string, drawing: LiveDrawing, strokeIds: string[]): void {
    for (const id of strokeIds) drawing.live.delete(id);
    this.deps.events.strokesRemoved(this, { roundId, playerId, strokeIds });
  }

  /** Every stroke being drawn now, whole, for a socket that just took its seat. */
  liveInkNow(): LiveInk[] {
    const round = this.state.phase === "drawing" ? this.state.rounds.at(-1) : undefined;
    const out: LiveInk[] = [];
    for (const [playerId, drawing] of (round && this.drawings.get(round.id)) || []) {
      for (const [strokeId, points] of drawing.live) out.push([playerId, strokeId, 0, points]);
    }
    return out;
  }

  private recognizedAtMs(drawingId: string): number | null {
    return this.recognitions.get(drawingId)?.atMs ?? null;
  }

  /**
   * A player says the AI's top guess was the word once their drawing reached `strokeId`. The server
   * runs the same classifier on the same strokes (the ones on the canvas, in drawing order, up to
   * that one) and records the recognition only if it agrees. The time is the last point's time in
   * those strokes, so it comes from the strokes, not from the claim. Only while the round is on:
   * scores are counted when it ends.
   */
  async claimRecognition(
    playerId: string,
    roundId: string,
    strokeId: string,
  ): Promise<{ ok: true; recognized: boolean; atMs: number | null } | { ok: false; error: ProtocolError }> {
    const drawing = this.drawingOf(playerId, roundId);
    if ("code" in drawing) return { ok: false, error: drawing };
    const round = this.currentRound(roundId);
    if (!round) return { ok: false, error: { code: "wrong_phase", message: "That round is over." } };
    const record = this.recognitions.get(drawing.drawingId) ?? { atMs: null, claimed: new Set<string>() };
    this.recognitions.set(drawing.drawingId, record);
    if (record.atMs !== null) return { ok: true, recognized: true, atMs: record.atMs };
    const strokes = strokesUpTo(drawing.strokes, strokeId);
    if (!strokes) return { ok: false, error: { code: "not_found", message: "That stroke isn't on your canvas." } };
    // One check per stroke: a claim repeated for the same strokes gets the same answer without work.
    if (record.claimed.has(strokeId)) return { ok: true, recognized: false, atMs: null };
    record.claimed.add(strokeId);
    let guesses;
    try {
      guesses = await this.deps.recognizer.guess(drawingFromPoints(strokes), 1);
    } catch (err) {
      record.claimed.delete(strokeId);
      if (err instanceof RecognizerBusy) return { ok: false, error: { code: "rate_limited", message: err.message } };
      throw err;
    }
    if (!isRecognized(guesses, round.word)) return { ok: true, recognized: false, atMs: null };
    if (!this.currentRound(roundId)) return { ok: false, error: { code: "wrong_phase", message: "That round is over." } };
    if (record.atMs !== null) return { ok: true, recognized: true, atMs: record.atMs };
    const atMs = strokes.reduce((latest, s) => s.points.reduce((m, p) => Math.max(m, p[2]), latest), 0);
    record.atMs = atMs;
    this.snapshotCache = null;
    this.deps.events.recognized(this, { roundId, playerId, atMs });
    this.roundStored(roundId)
      .then(() => this.deps.store.setRecognized(drawing.drawingId, atMs))
      .catch((err) => log.warn(`room ${this.code}: could not store a recognition`, err));
    return { ok: true, recognized: true, atMs };
  }

  /** The round being drawn now, if it is `roundId`. */
  private currentRound(roundId: string): Round | null {
    const round = this.state.rounds.at(-1);
    return this.state.phase === "drawing" && round?.id === roundId && round.endedAt === null ? round : null;
  }

  /** Every drawing of the current game as DrawingView[] JSON bytes (drawings:snapshot), for a player who (re)joins. */
  snapshotBytes(): Buffer {
    if (this.snapshotCache) return this.snapshotCache;
    const views: string[] = [];
    for (const [roundId, byPlayer] of this.drawings) {
      for (const [playerId, d] of byPlayer) {
        d.json ??= `[${[...d.strokes.values()].map(strokeJson).join(",")}]`;
        const ids = JSON.stringify({ roundId, playerId, recognizedAtMs: this.recognizedAtMs(d.drawingId) });
        views.push(`${ids.slice(0, -1)},"strokes":${d.json}}`);
      }
    }
    this.snapshotCache = Buffer.from(`[${views.join(",")}]`);
    return this.snapshotCache;
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

/**
 * The strokes on the canvas in drawing order (by first point's time, then arrival: the order the
 * store reads them back in) up to and including `strokeId`; null if it is not on the canvas.
 */
export function strokesUpTo(strokes: ReadonlyMap<string, PackedStroke>, strokeId: string): Stroke[] | null {
  if (!strokes.has(strokeId)) return null;
  const ordered = [...strokes.values()]
    .map((s, arrival) => ({ s, arrival }))
    .sort((a, b) => (firstPointMs(a.s) - firstPointMs(b.s)) || a.arrival - b.arrival)
    .map(({ s }) => s);
  return ordered.slice(0, ordered.findIndex((s) => s.id === strokeId) + 1).map(unpackStroke);
}
