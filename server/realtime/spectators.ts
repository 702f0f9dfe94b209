// Spectators on the transport: a spectator's socket is bound like a seat (it is in the room's
// socket.io room, so it gets every broadcast, and holds a token), but every player action from it
// is refused in words before any rule runs. The rules themselves are in game/spectators.ts.
import type { ClientEvent } from "../../protocol";
import { WATCHING_REFUSAL } from "../../game/spectators";
import type { Client, Reply } from "./clients";

/** What only players may do: draw, vote, run the game. */
export const PLAYER_ACTIONS = [
  "stroke:add",
  "stroke:undo",
  "drawing:clear",
  "drawing:recognized",
  "player:kick",
  "game:start",
  "room:settings",
  "gallery:next",
  "game:rematch",
] as const satisfies readonly ClientEvent[];

type Handlers = { [E in ClientEvent]: (socket: Client, payload: never) => Promise<Reply> | Reply };

/** The handlers, with each player action answering a watching socket with WATCHING_REFUSAL. */
export function refuseSpectators<H extends Handlers>(handlers: H, watching: (socket: Client) => boolean): H {
  const guarded = { ...handlers };
  for (const event of PLAYER_ACTIONS) {
    const handler = handlers[event] as (socket: Client, payload: unknown) => Promise<Reply> | Reply;
    (guarded as Record<ClientEvent, unknown>)[event] = (socket: Client, payload: unknown) =>
      watching(socket) ? { ok: false, error: { ...WATCHING_REFUSAL } } : handler(socket, payload);
  }
  return guarded;
}
