// GET /api/games/<roomId>/<gameNumber>: a game's finished rounds with every doodle, for the
// game's gallery page (each round's dance, replayed in the browser). Addressed by the room's id,
// a random UUID only its players are told, rather than its 6-letter code: this route has no
// guessing limit, so it must not be a way to enumerate rooms.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { GameGalleryView } from "../../protocol";
import type { GameStore } from "../persistence/types";

const GAME = /^\/api\/games\/([0-9a-f-]{36})\/([1-9][0-9]{0,5})$/;

export async function handleGameGallery(req: IncomingMessage, res: ServerResponse, path: string, store: GameStore): Promise<boolean> {
  const match = GAME.exec(path);
  if (!match || req.method !== "GET") return false;
  const rounds = await store.listGameRounds(match[1]!, Number(match[2]));
  if (rounds.length === 0) {
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("No finished rounds in that game.");
    return true;
  }
  const view: GameGalleryView = {
    gameNumber: Number(match[2]),
    rounds: await Promise.all(
      rounds.map(async (r) => ({
        ...r,
        doodles: (await store.loadRoundDrawings(r.id))
          .filter((d) => d.strokes.length > 0)
          .map((d) => ({ playerId: d.playerId, nickname: d.nickname, strokes: d.strokes.map((s) => ({ id: s.clientId, points: s.points })) })),
      })),
    ),
  };
  res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(view));
  return true;
}
