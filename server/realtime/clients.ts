// The shapes the socket layer works with: a player's socket, the stand-in the room's owner uses
// for a socket on another server, seats and replies.
import type { Server, Socket } from "socket.io";
import type { Ack, ClientEvent, ClientToServerEvents, ProtocolError, ServerToClientEvents } from "../../protocol";

/** Where a socket sits; on the socket itself (`socket.data`), so peers can read it through the adapter. */
export type SocketData = { code: string | null; playerId: string | null };
export type GameSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type GameIo = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/**
 * What the handlers use of a player's socket. With several servers, the room's owner runs requests
 * from sockets on other servers through a stand-in with the same shape (room-sharing.ts).
 */
export type Client = {
  id: string;
  data: SocketData;
  handshake: { address: string };
  emit: GameSocket["emit"];
  join(room: string): unknown;
  leave(room: string): unknown;
};

export type Seat = { code: string; playerId: string };
/** What a socket's server runs, or hands to the room's owner: the requests, and live ink (no ack). */
export type RoutedEvent = ClientEvent | "ink:live";
export type Reply = Ack<Record<string, unknown>>;

export const error = (code: ProtocolError["code"], message: string) => ({ ok: false as const, error: { code, message } });
