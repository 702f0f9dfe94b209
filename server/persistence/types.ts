// The narrow interface the game server uses to store things. The realtime layer only
// ever sees this; tests can swap in a fake, and the Postgres implementation lives beside it.
import type { Point, Settings } from "../../protocol";

export type StrokeRecord = {
  drawingId: string;
  /** The client-made id: storing the same (drawingId, clientId) twice is a no-op. */
  clientId: string;
  points: Point[];
};

export type StoredStroke = { clientId: string; points: Point[]; createdAt: Date };

export type StoredDrawing = {
  drawingId: string;
  roundId: string;
  playerId: string;
  nickname: string;
  word: string;
  roundStartedAt: Date;
  /** Ms after the round started when the AI recognised the doodle; null if it never did. */
  recognizedAtMs: number | null;
  strokes: StoredStroke[];
  /** Points and strokes stored for it, removed ones included (held to MAX_POINTS_PER_DRAWING...). */
  ink: { points: number; strokes: number };
};

export interface GameStore {
  createRoom(room: { id: string; code: string; settings: Settings; createdAt: Date }): Promise<void>;
  updateRoomSettings(roomId: string, settings: Settings): Promise<void>;
  addPlayer(player: { id: string; roomId: string; nickname: string; joinedAt: Date }): Promise<void>;
  /** Creates the round and one drawing per drawing player, in one transaction. */
  startRound(round: {
    id: string;
    roomId: string;
    gameNumber: number;
    index: number;
    word: string;
    startedAt: Date;
    drawings: { id: string; playerId: string }[];
  }): Promise<void>;
  endRound(roundId: string, endedAt: Date): Promise<void>;
  /** Stores strokes, skipping ones already stored; resolves once they are committed. */
  saveStrokes(strokes: StrokeRecord[]): Promise<void>;
  /** Marks strokes as undone/cleared; they stay in the table (nothing a player drew is deleted). */
  removeStrokes(drawingId: string, clientIds: string[], at: Date): Promise<void>;
  /** Records when the AI recognized a drawing (ms after its round started), once the server checked it. */
  setRecognized(drawingId: string, atMs: number): Promise<void>;
  /** Drawings of a round with their live (not removed) strokes in drawing order. */
  loadRoundDrawings(roundId: string): Promise<StoredDrawing[]>;
  /** The finished rounds of one game of a room, in order (the per-game gallery). */
  listGameRounds(roomId: string, gameNumber: number): Promise<{ id: string; index: number; word: string }[]>;
  close(): Promise<void>;
}
