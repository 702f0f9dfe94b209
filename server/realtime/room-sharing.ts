// Several servers sharing rooms (REDIS_URL): a room lives on one server, its owner. Other servers
// validate their sockets' requests and forward them there; the owner broadcasts through the Redis
// adapter to every server. The owner keeps a snapshot in Redis; if it dies, the next server a
// request for the room reaches takes the room over from the snapshot and the database.
// Design and reasons: docs/architecture.md, "Several servers".
import type { ParsedClientPayload } from "../../protocol";
import { disconnect } from "../../game/room";
import { dropAbsentSpectators, placeOf } from "../../game/spectators";
import type { Cluster, ForwardedReply, ForwardedRequest, RoomSnapshot } from "../cluster/cluster";
import type { RoomRuntime } from "./room-runtime";
import { error, type Client, type GameIo, type GameSocket, type Reply, type RoutedEvent, type Seat, type SocketData } from "./clients";
import { log } from "../log";

/** How often a server looks for rooms of its players that nobody runs any more. */
const ORPHAN_SWEEP_MS = 2000;

export type SharingDeps = {
  io: GameIo;
  cluster: Cluster;
  now: () => number;
  /** The rooms this server owns. */
  rooms: Map<string, RoomRuntime>;
  seatsByToken: Map<string, Seat>;
  tokensByPlayer: Map<string, string>;
  socketsByPlayer: Map<string, Client>;
  /** Runs a request here, as the room's owner. */
  run(client: Client, event: RoutedEvent, payload: unknown): Promise<Reply> | Reply;
  releaseSeat(client: Client): void;
  restore(snapshot: RoomSnapshot): Promise<RoomRuntime>;
};

export function shareRooms(deps: SharingDeps) {
  const { io, cluster, now, rooms, seatsByToken, tokensByPlayer, socketsByPlayer, releaseSeat } = deps;
  const addressOf = (socket: Client) => socket.handshake.address;

  // A room lives on one server, its owner. Other servers validate their sockets' requests and
  // forward them there; the owner broadcasts through the Redis adapter to every server. The owner
  // keeps a snapshot in Redis; if it dies, the next server a request for the room reaches takes
  // the room over from the snapshot and the database.

  /** The room a request concerns, or null for one that makes a room here. */
  function targetRoom(socket: Client, name: RoutedEvent, payload: unknown): string | null {
    if (name === "room:create") return null;
    if (name === "room:join" || name === "room:watch") return (payload as ParsedClientPayload<"room:join" | "room:watch">).code;
    return socket.data.code;
  }

  async function route(socket: GameSocket, name: RoutedEvent, payload: unknown): Promise<Reply> {
    const run = () => deps.run(socket, name, payload);
    const code = targetRoom(socket, name, payload);
    if (code === null || rooms.has(code)) return run();
    for (let attempt = 0; attempt < 3; attempt++) {
      const owner = await cluster.ownerOf(code);
      if (owner === null || owner === cluster.serverId) {
        await adopt(code, owner ?? "");
        // A seated player's room with neither owner nor snapshot: Redis restarted empty and the owner
        // has not renewed its lease yet. Retryable, unlike "not in a room".
        if (!rooms.has(code) && name !== "room:join" && name !== "room:watch") {
          if (cluster.alone) return run();
          return error("storage_unavailable", "The room's server is reconnecting; try again in a moment.");
        }
        return run();
      }
      const forwarded = await cluster.forward(owner, requestFrom(socket, name, payload));
      if (forwarded) {
        socket.data = forwarded.seat ? { ...forwarded.seat } : { code: null, playerId: null };
        return forwarded.reply as Reply;
      }
      await adopt(code, owner);
      if (rooms.has(code)) return run();
    }
    return error("storage_unavailable", "The room's server is not answering; try again in a moment.");
  }

  const adopting = new Map<string, Promise<void>>();

  /** Takes over a room whose owner is gone (or that nobody runs), if it has a snapshot. */
  function adopt(code: string, replacing: string): Promise<void> {
    const running = adopting.get(code);
    if (running) return running;
    const adoption = (async () => {
      if (rooms.has(code)) return;
      const snapshot = await cluster.load(code);
      if (!snapshot || !(await cluster.claim(code, replacing))) return;
      const room = await deps.restore(snapshot);
      rooms.set(code, room);
      for (const [token, playerId] of snapshot.tokens) {
        seatsByToken.set(token, { code, playerId });
        tokensByPlayer.set(playerId, token);
      }
      // Players on the surviving servers keep their seats; the old owner's players get the seat grace to return.
      const present = new Set<string>();
      for (const s of await io.in(code).fetchSockets()) {
        if (s.data.code !== code || !s.data.playerId) continue;
        socketsByPlayer.set(s.data.playerId, io.sockets.sockets.get(s.id) ?? remoteClient(s.id, s.handshake.address, s.data));
        present.add(s.data.playerId);
      }
      for (const seat of room.snapshot.seats) {
        if (seat.connected && !present.has(seat.id)) room.apply((s) => disconnect(s, seat.id, now()));
      }
      if (room.snapshot.spectators?.some((v) => !present.has(v.id))) room.apply((s) => dropAbsentSpectators(s, present));
      log.info(`took over room ${code} from ${replacing || "its snapshot"}`);
    })().finally(() => adopting.delete(code));
    adopting.set(code, adoption);
    return adoption;
  }

  const savesDue = new Set<RoomRuntime>();
  /** Snapshots wait for the end of the tick, so a join's new seat token is in the same snapshot. */
  function saveSnapshotSoon(room: RoomRuntime): void {
    if (savesDue.has(room)) return;
    savesDue.add(room);
    setImmediate(() => {
      savesDue.delete(room);
      if (rooms.get(room.code) !== room) return;
      const tokens = [...seatsByToken].filter(([, seat]) => seat.code === room.code).map(([t, seat]): [string, string] => [t, seat.playerId]);
      cluster.save(room.code, { id: room.id, state: room.snapshot, tokens } satisfies RoomSnapshot);
    });
  }

  /** Stand-ins, on the owner, for sockets on other servers; what they do travels through the adapter. */
  const remoteClients = new Map<string, Client>();
  function remoteClient(id: string, address: string, data: SocketData = { code: null, playerId: null }): Client {
    let client = remoteClients.get(id);
    if (!client) {
      client = {
        id,
        data: { code: data.code, playerId: data.playerId },
        handshake: { address },
        emit: ((event: string, ...args: unknown[]) => io.to(id).emit(event as "notice", ...(args as [never]))) as Client["emit"],
        join: (room) => io.in(id).socketsJoin(room),
        leave: (room) => io.in(id).socketsLeave(room),
      };
      remoteClients.set(id, client);
    }
    return client;
  }

  /** A socket's seat as the forwarding protocol carries it: both halves, or none. */
  const seatIn = ({ code, playerId }: SocketData) => (code && playerId ? { code, playerId } : null);

  /** What a socket here asks of the room's owner elsewhere. */
  const requestFrom = (socket: GameSocket, event: ForwardedRequest["event"], payload: unknown): ForwardedRequest => ({
    event,
    payload,
    socketId: socket.id,
    address: addressOf(socket),
    seat: seatIn(socket.data),
  });

  cluster.serve(async (request: ForwardedRequest): Promise<ForwardedReply> => {
    const known = remoteClients.has(request.socketId);
    const client = remoteClient(request.socketId, request.address);
    // A socket this owner has not met (it took the room over and could not list every socket) but
    // whose server saw it seated here: it keeps the seat unless another socket holds it now.
    const hint = request.seat;
    const hinted = hint ? rooms.get(hint.code)?.snapshot : undefined;
    // Spectators too: their place is bound to their socket like a seat.
    if (!known && hint && hinted && placeOf(hinted, hint.playerId) !== null) {
      const holder = socketsByPlayer.get(hint.playerId);
      if (!holder || holder.id === client.id) {
        client.data = { ...hint };
        socketsByPlayer.set(hint.playerId, client);
      }
    }
    let reply: Reply = { ok: true };
    if (request.event === "disconnect") releaseSeat(client);
    else reply = await deps.run(client, request.event, request.payload);
    const seat = seatIn(client.data);
    if (!seat) remoteClients.delete(client.id);
    return { reply, seat };
  });

  cluster.watchOwnership({
    // Another server runs one of our rooms now (we were cut off from Redis past the lease): stop running it.
    lost(code) {
      rooms.get(code)?.close();
      rooms.delete(code);
      log.warn(`room ${code} is run by another server now`);
    },
    regained(code) {
      const room = rooms.get(code);
      if (room) saveSnapshotSoon(room);
    },
  });

  // A restarted single server takes up every room it ran before, so their timers run and rooms
  // nobody returns to empty and go, as they would have.
  if (cluster.savedRooms) {
    void cluster
      .savedRooms()
      .then((codes) => Promise.all(codes.map((code) => adopt(code, ""))))
      .catch((err: unknown) => log.warn("could not take up the rooms from before the restart", err));
  }

  // A room whose owner died while nobody asked anything of it would stall (its timer died too):
  // a server with players in such a room takes it over once the old owner's lease runs out.
  const orphanSweep = setInterval(() => {
    const codes = new Set<string>();
    for (const s of io.sockets.sockets.values()) if (s.data.code && !rooms.has(s.data.code)) codes.add(s.data.code);
    for (const code of codes) {
      cluster
        .ownerOf(code)
        .then((owner) => (owner === null ? adopt(code, "") : undefined))
        .catch((err: unknown) => log.warn(`could not check who runs room ${code}`, err));
    }
  }, ORPHAN_SWEEP_MS);
  orphanSweep.unref();

  /** A socket that went away: its room's owner marks the seat disconnected. */
  function socketGone(socket: GameSocket): void {
    const code = socket.data.code;
    if (!code || rooms.has(code)) return releaseSeat(socket);
    void cluster
      .ownerOf(code)
      .then((owner) => {
        if (owner) return cluster.forward(owner, requestFrom(socket, "disconnect", null));
      })
      .catch((err: unknown) => log.warn(`could not tell room ${code}'s server that a player left`, err));
  }

  return {
    route,
    socketGone,
    saveSnapshotSoon,
    stop: () => clearInterval(orphanSweep),
  };
}
