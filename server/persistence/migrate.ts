// Applies pending migrations from prisma/migrations at server start. The Prisma 7 CLI cannot run
// offline (it downloads a native engine first), so this does what `prisma migrate deploy` does
// and records each migration in Prisma's own `_prisma_migrations` table, in Prisma's format, so
// a later `prisma migrate deploy` (or `migrate status`) sees them as applied.
import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

export const MIGRATIONS_DIR = fileURLToPath(new URL("../../prisma/migrations", import.meta.url));

/** The key Prisma Migrate itself locks on, so this also waits for (and blocks) `prisma migrate`. */
const PRISMA_MIGRATE_LOCK_KEY = 72707369;

// Prisma's DDL for the table, verbatim in meaning: the CLI reads these columns.
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export type Migration = { name: string; sql: string; checksum: string };

/** The migrations in a Prisma migrations folder, oldest first (folder names start with a timestamp). */
export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

/**
 * Applies the migrations not yet recorded as finished, each in its own transaction, and returns
 * their names. Safe to call from several processes at once (they queue on an advisory lock) and
 * again and again (a no-op once everything is applied). A migration that fails leaves no trace,
 * so fixing it and restarting retries it; migrations must therefore be transaction-safe
 * (no CREATE INDEX CONCURRENTLY).
 */
export async function applyMigrations(
  url: string,
  options: { dir?: string; warn?: (message: string) => void } = {},
): Promise<string[]> {
  const warn = options.warn ?? ((message: string) => console.warn(message));
  const migrations = await readMigrations(options.dir);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK_KEY]);
    try {
      await client.query(CREATE_MIGRATIONS_TABLE);
      const { rows } = await client.query<{ migration_name: string; checksum: string }>(
        `SELECT migration_name, checksum FROM "_prisma_migrations"
          WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      );
      const applied = new Map(rows.map((r) => [r.migration_name, r.checksum]));
      const done: string[] = [];
      for (const migration of migrations) {
        const checksum = applied.get(migration.name);
        if (checksum === undefined) {
          await apply(client, migration);
          done.push(migration.name);
        } else if (checksum !== migration.checksum) {
          warn(`migration ${migration.name} was edited after it was applied; the edit is not applied`);
        }
      }
      return done;
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATE_LOCK_KEY]);
    }
  } finally {
    await client.end();
  }
}

async function apply(client: pg.Client, migration: Migration): Promise<void> {
  const startedAt = new Date();
  await client.query("BEGIN");
  try {
    // No parameters: pg then uses the simple protocol, which runs a multi-statement script.
    await client.query(migration.sql);
    await client.query(
      `INSERT INTO "_prisma_migrations"
         (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
       VALUES ($1, $2, now(), $3, NULL, NULL, $4, 1)`,
      [randomUUID(), migration.checksum, migration.name, startedAt],
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw new Error(`migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
  }
}
