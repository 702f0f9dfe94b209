// GameStore on PostgreSQL: Prisma (through @prisma/adapter-pg) for the occasional room, player
// and round writes and for reading drawings back; strokes, the hot path, go through
// StrokeBatcher as raw multi-row INSERTs on the same connection pool.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import type { Point } from "../../protocol";
import { PrismaClient } from "./generated/client";
import { StrokeBatcher, type StrokeBatcherOptions } from "./stroke-batcher";
import type { GameStore, StoredDrawing } from "./types";

export type PostgresStoreOptions = StrokeBatcherOptions & {
  /** Connections in the pool shared by Prisma and the stroke batcher. */
  poolSize?: number;
  /**
   * Bounds every wait on the database, in ms: getting a connection, and each statement (the
   * server cancels it, the client stops waiting). A down database fails calls, never hangs them.
   */
  timeoutMs?: number;
};

export function createPostgresStore(url: string, options: PostgresStoreOptions = {}): GameStore {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 8,
    connectionTimeoutMillis: timeoutMs,
    statement_timeout: timeoutMs,
    query_timeout: timeoutMs + 1000,
  });
  // An idle connection dropped by the server must not crash the process; the next query reconnects.
  pool.on("error", () => {});
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const strokes = new StrokeBatcher(pool, options);

  return {
    async createRoom(room) {
      await prisma.room.create({
        data: {
          id: room.id,
          code: room.code,
          rounds: room.settings.rounds,
          roundSeconds: room.settings.roundSeconds,
          createdAt: room.createdAt,
        },
      });
    },

    async updateRoomSettings(roomId, settings) {
      await prisma.room.update({
        where: { id: roomId },
        data: { rounds: settings.rounds, roundSeconds: settings.roundSeconds },
      });
    },

    async addPlayer(player) {
      await prisma.player.create({ data: player });
    },

    async startRound({ drawings, ...round }) {
      await prisma.$transaction([
        prisma.round.create({ data: round }),
        prisma.drawing.createMany({
          data: drawings.map((d) => ({ id: d.id, roundId: round.id, playerId: d.playerId })),
        }),
      ]);
    },

    async endRound(roundId, endedAt) {
      await prisma.round.update({ where: { id: roundId }, data: { endedAt } });
    },

    saveStrokes: (records) => strokes.save(records),

    async removeStrokes(drawingId, clientIds, at) {
      // A stroke undone right after it was drawn may still be queued: let it land first.
      await strokes.settled(drawingId);
      await prisma.stroke.updateMany({
        where: { drawingId, clientId: { in: clientIds }, removedAt: null },
        data: { removedAt: at },
      });
    },

    async setRecognized(drawingId, atMs) {
      // The first recognition stands: a later one never moves the time.
      await prisma.drawing.updateMany({ where: { id: drawingId, recognizedAtMs: null }, data: { recognizedAtMs: atMs } });
    },

    async loadRoundDrawings(roundId) {
      await strokes.settled();
      const drawings = await prisma.drawing.findMany({
        where: { roundId },
        orderBy: [{ player: { joinedAt: "asc" } }, { id: "asc" }],
        include: {
          player: { select: { nickname: true } },
          round: { select: { word: true, startedAt: true } },
          strokes: {
            where: { removedAt: null },
            select: { seq: true, clientId: true, xs: true, ys: true, ts: true, createdAt: true },
          },
        },
      });
      return drawings.map(
        (d): StoredDrawing => ({
          drawingId: d.id,
          roundId: d.roundId,
          playerId: d.playerId,
          nickname: d.player.nickname,
          word: d.round.word,
          roundStartedAt: d.round.startedAt,
          recognizedAtMs: d.recognizedAtMs,
          ink: { points: d.pointsStored, strokes: d.strokesStored },
          strokes: d.strokes
            .sort(drawingOrder)
            .map((s) => ({ clientId: s.clientId, points: toPoints(s.xs, s.ys, s.ts), createdAt: s.createdAt })),
        }),
      );
    },

    async listGameRounds(roomId, gameNumber) {
      return prisma.round.findMany({
        where: { roomId, gameNumber, endedAt: { not: null } },
        orderBy: { index: "asc" },
        select: { id: true, index: true, word: true },
      });
    },

    async close() {
      await strokes.close();
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

type StrokeRow = { seq: bigint; ts: number[] };

/**
 * Strokes in the order they were drawn: by their first point's time (ms since the drawing
 * started), then by arrival. Arrival alone would misplace a stroke re-sent after a reconnect.
 */
function drawingOrder(a: StrokeRow, b: StrokeRow): number {
  const byTime = (a.ts[0] ?? 0) - (b.ts[0] ?? 0);
  return byTime !== 0 ? byTime : a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0;
}

function toPoints(xs: number[], ys: number[], ts: number[]): Point[] {
  const n = Math.min(xs.length, ys.length, ts.length);
  return Array.from({ length: n }, (_, i): Point => [xs[i]!, ys[i]!, ts[i]!]);
}
