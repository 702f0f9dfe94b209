// GET /api/rooms/CODE: whether that room is open, so the room page refuses an unknown code before
// asking for a nickname. Answers {open} (200, also for an unknown code: a 404 would be a console
// error on the page), or 429, with a sentence a player can read.
import type { IncomingMessage, ServerResponse } from "node:http";
import { roomCodeSchema } from "../../protocol";

export type RoomLookup = (code: string, address: string) => Promise<"open" | "not_found" | "rate_limited">;

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
  if (found === "open") return answer(200, { open: true });
  if (found === "rate_limited") return answer(429, { open: false, message: "Too many wrong room codes from your network; wait a minute and try again." });
  return answer(200, { open: false, message: `There is no room with the code ${code.data}. Check the link or create a new room.` });
}
