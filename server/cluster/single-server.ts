// A server without Redis is a cluster of one: it owns every room and forwards nothing, but keeps
// its rooms' snapshots in PostgreSQL, so a restart takes the live rooms up again through the same
// path a Redis cluster uses when a server dies (room-sharing.ts: adopt, RoomRuntime.restore).
import type { Cluster, RoomSnapshot } from "./cluster";
import type { SnapshotStore } from "../persistence/room-snapshots";
import { throttledWarning } from "../log";

export function singleServerCluster(store: SnapshotStore): Cluster {
  const warn = throttledWarning("room snapshot not stored (a restart now would lose the room)");
  /** Per room, the write in flight: writes for one room land in call order. */
  const saving = new Map<string, Promise<void>>();
  let closed = false;

  const after = (code: string, write: () => Promise<void>) => {
    const next = (saving.get(code) ?? Promise.resolve()).then(write).catch(warn);
    saving.set(code, next);
    void next.then(() => {
      if (saving.get(code) === next) saving.delete(code);
    });
    return next;
  };

  return {
    serverId: "single",
    alone: true,
    claim: async () => true,
    // Nobody else runs rooms: one this server does not hold is run by no one (and may have a snapshot).
    ownerOf: async () => null,
    async release(code) {
      if (!closed) await after(code, () => store.remove(code));
    },
    save(code, snapshot: RoomSnapshot) {
      if (!closed) void after(code, () => store.save(code, snapshot));
    },
    load: (code) => store.load(code),
    savedRooms: () => store.codes(),
    forward: async () => null,
    serve() {},
    watchOwnership() {},
    async close() {
      closed = true;
      await Promise.allSettled(saving.values());
      await store.close();
    },
  };
}
