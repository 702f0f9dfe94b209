// GET /api/games/<roomId>/<gameNumber>: a game's finished rounds with every doodle, for the
// game's gallery page (each round's dance, replayed in the browser). Addressed by the room's id,
// a random UUID only its players are told, rather than its 6-letter code: this route has no
// guessing limit, so it must not be a way to enumerate rooms.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { GameGalleryView } from "../../protocol";
import type { GameStore } from "../persistence/types";
import type { HeavyReads } from "./heavy-reads";

const GAME = /^\/api\/games\/([0-9a-f-]{36})\/([1-9][0-9]{0,5})$/;

export async function handleGameGallery(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  store: GameStore,
  reads: HeavyReads,
): Promise<boolean> {
  const match = GAME.exec(path);
  if (!match || req.method !== "GET") return false;
  if (!reads.admit(req, res)) return true;
  // Listing a game's rounds is one small indexed query; their doodles, the heavy part, are read and
  // cached per round, so the gallery of a game still being played gains each round as it ends.
  const rounds = await store.listGameRounds(match[1]!, Number(match[2]));
  if (rounds.length === 0) {
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("No finished rounds in that game.");
    return true;
  }
  const doodles = await Promise.all(
    rounds.map(async (r) => {
      const json = await reads.get(`gallery:${r.id}`, async () => {
        const drawings = (await store.loadRoundDrawings(r.id)).filter((d) => d.strokes.length > 0);
        const view: GameGalleryView["rounds"][number]["doodles"] = drawings.map((d) => ({
          playerId: d.playerId,
          nickname: d.nickname,
          strokes: d.strokes.map((s) => ({ id: s.clientId, points: s.points })),
        }));
        return Buffer.from(JSON.stringify(view));
      });
      return json!.toString();
    }),
  );
  // Written from the cached per-round JSON: the same as JSON.stringify of a GameGalleryView.
  const head = (r: (typeof rounds)[number]) => JSON.stringify({ ...r }).slice(0, -1);
  const body = `{"gameNumber":${Number(match[2])},"rounds":[${rounds.map((r, i) => `${head(r)},"doodles":${doodles[i]}}`).join(",")}]}`;
  res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(body);
  return true;
}
