// The admin sessions' version (table admin_session_version, one row): every server checks a
// session cookie against it, so a logout on one server ends the session on all of them.
import pg from "pg";

export type SessionVersions = {
  current(): Promise<number>;
  /** Ends every session made so far. */
  revokeAll(): Promise<void>;
  close(): Promise<void>;
};

export function createSessionVersions(url: string): SessionVersions {
  // Admin requests are few: one connection, and a down database fails them within seconds.
  const pool = new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 5000, statement_timeout: 5000 });
  pool.on("error", () => {});
  return {
    async current() {
      const { rows } = await pool.query<{ version: number }>(`SELECT version FROM admin_session_version WHERE id = 1`);
      return rows[0]?.version ?? 0;
    },
    async revokeAll() {
      await pool.query(`UPDATE admin_session_version SET version = version + 1 WHERE id = 1`);
    },
    close: () => pool.end(),
  };
}
