// GET /api/rooms/CODE: whether that room is open, so the room page refuses an unknown code before
// asking for a nickname, and offers to watch a game under way or a full room. Answers {open, playing,
// seatFree, watchFree} (200, also for an unknown code: a 404 would be a console error on the page),
// or 429, with a sentence a player can read.
import type { IncomingMessage, ServerResponse } from "node:http";
import { roomCodeSchema } from "../../protocol";
import type { EntryChoices } from "../../game/spectators";

export type RoomLookupAnswer = ({ open: true } & EntryChoices) | "not_found" | "rate_limited";
export type RoomLookup = (code: string, address: string) => Promise<RoomLookupAnswer>;

const ROOM_PATH = /^\/api\/rooms\/([^/]+)$/;

/** Answers the request if it is a room look-up; false otherwise. */
export async function handleRoomLookup(req: IncomingMessage, res: ServerResponse, path: string, lookUp: RoomLookup): Promise<boolean> {
  const match = ROOM_PATH.exec(path);
  if (!match || req.method !== "GET") return false;
  const code = roomCodeSchema.safeParse(decodeURIComponent(match[1]!));
  const answer = (status: number, body: Record<string, unknown>) => {
    res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(JSON.stringify(body));
    return true;
  };
  if (!code.success) return answer(200, { open: false, message: "That isn't a room code: create a new room." });
  const found = await lookUp(code.data, req.socket.remoteAddress ?? "");
  if (found === "rate_limited") return answer(429, { open: false, message: "Too many wrong room codes from your network; wait a minute and try again." });
  if (found === "not_found") return answer(200, { open: false, message: `There is no room with the code ${code.data}. Check the link or create a new room.` });
  return answer(200, found);
}
