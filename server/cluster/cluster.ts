// What the game server needs from its peers when several servers share rooms (REDIS_URL set):
// who owns a room, the room's last snapshot, and a way to hand a request to the owner.
// Design and reasons: docs/architecture.md, "Several servers".
import type { RoomState } from "../../game/room";
import type { ClientEvent } from "../../protocol";

/** Enough to rebuild a room on another server: the rules' state and the seat tokens. */
export type RoomSnapshot = { id: string; state: RoomState; tokens: [token: string, playerId: string][] };

/** A client request validated by the server its socket is on, for the room's owner to run. */
export type ForwardedRequest = {
  /** ink:live has no ack: its reply is dropped. */
  event: ClientEvent | "ink:live" | "disconnect";
  payload: unknown;
  socketId: string;
  address: string;
  /** The seat the socket's own server believes it holds (from an earlier reply of this room's owner). */
  seat: { code: string; playerId: string } | null;
};

export type ForwardedReply = {
  reply: { ok: boolean } & Record<string, unknown>;
  /** The socket's seat after the request, so its own server routes its next requests. */
  seat: { code: string; playerId: string } | null;
};

export interface Cluster {
  readonly serverId: string;
  /**
   * No other server can hold a room (the single-server cluster): a room neither held here nor
   * snapshotted is gone, not between owners, so requests for it get the handlers' own answer.
   */
  readonly alone?: boolean;
  /** Becomes the room's owner unless another live server is; `replacing` is an owner known to be gone. */
  claim(code: string, replacing?: string): Promise<boolean>;
  /** The owning server's id, or null when no live server owns the room. */
  ownerOf(code: string): Promise<string | null>;
  /** Gives the room up (it emptied): its owner key and snapshot go. */
  release(code: string): Promise<void>;
  /** Stores the room's latest snapshot; writes for one room land in call order. */
  save(code: string, snapshot: RoomSnapshot): void;
  load(code: string): Promise<RoomSnapshot | null>;
  /** Rooms whose snapshots outlived their server, to take up at start (a single server's restart); Redis clusters adopt on demand. */
  savedRooms?(): Promise<string[]>;
  /** Runs the request on server `to`; null when no such server is listening (it died). */
  forward(to: string, request: ForwardedRequest): Promise<ForwardedReply | null>;
  /** Serves requests other servers forward here. */
  serve(handler: (request: ForwardedRequest) => Promise<ForwardedReply>): void;
  /**
   * Lease changes after Redis was away: `lost` when another server took a room of ours over,
   * `regained` when ours lapsed and we took it back (Redis may have restarted empty: save again).
   */
  watchOwnership(handlers: { lost(code: string): void; regained(code: string): void }): void;
  close(): Promise<void>;
}
