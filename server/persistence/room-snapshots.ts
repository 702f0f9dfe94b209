// Live rooms' snapshots in PostgreSQL (table room_snapshots), for a server that runs without
// Redis: after a restart it takes its rooms up again from them (server/cluster/single-server.ts).
import pg from "pg";
import type { RoomSnapshot } from "../cluster/cluster";

export type SnapshotStore = {
  /** The room's latest snapshot replaces the one before. */
  save(code: string, snapshot: RoomSnapshot): Promise<void>;
  load(code: string): Promise<RoomSnapshot | null>;
  remove(code: string): Promise<void>;
  /** Every room with a snapshot. */
  codes(): Promise<string[]>;
  close(): Promise<void>;
};

export function createSnapshotStore(url: string): SnapshotStore {
  // Two connections: snapshots are small, and one per change of a room at most.
  const pool = new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 10_000 });
  pool.on("error", () => {}); // an idle connection lost with the database: the next query says so
  return {
    async save(code, snapshot) {
      await pool.query(
        `INSERT INTO room_snapshots (code, snapshot, saved_at) VALUES ($1, $2, now())
         ON CONFLICT (code) DO UPDATE SET snapshot = EXCLUDED.snapshot, saved_at = EXCLUDED.saved_at`,
        [code, JSON.stringify(snapshot)],
      );
    },
    async load(code) {
      const { rows } = await pool.query<{ snapshot: RoomSnapshot }>("SELECT snapshot FROM room_snapshots WHERE code = $1", [code]);
      return rows[0]?.snapshot ?? null;
    },
    async remove(code) {
      await pool.query("DELETE FROM room_snapshots WHERE code = $1", [code]);
    },
    async codes() {
      const { rows } = await pool.query<{ code: string }>("SELECT code FROM room_snapshots ORDER BY saved_at");
      return rows.map((r) => r.code);
    },
    close: () => pool.end(),
  };
}
