// A throwaway, fully migrated database for one test file:
//
//   const db = await createTestDatabase();   // db.url: postgres://.../doodle_test_<random>
//   ... use db.url (startServer({ databaseUrl: db.url }), createPostgresStore(db.url), pg) ...
//   await db.drop();                          // in after(); also closes what is still connected
//
// It is made on the local PostgreSQL (postgres://postgres@127.0.0.1:5432; set
// TEST_DATABASE_ADMIN_URL to use another server, as `npm test` does when it starts an embedded
// one), so test files never see each other's rows.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { applyMigrations } from "../../server/persistence/migrate";

export type TestDatabase = { url: string; name: string; drop(): Promise<void> };

export const LOCAL_DATABASE_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";
export const TEST_DATABASE_ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? LOCAL_DATABASE_ADMIN_URL;

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `doodle_test_${randomBytes(6).toString("hex")}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  const url = new URL(TEST_DATABASE_ADMIN_URL);
  url.pathname = `/${name}`;
  try {
    await applyMigrations(url.href);
  } catch (error) {
    await adminQuery(`DROP DATABASE "${name}" WITH (FORCE)`);
    throw error;
  }
  return { url: url.href, name, drop: () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
