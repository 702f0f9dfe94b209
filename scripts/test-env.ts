// What `npm test` needs from the machine, found or set up before any test runs: Chromium for the
// browser tests, redis-server for the multi-server tests, g++ while the native training kernels
// are unbuilt (npm install builds them only where it finds g++), and a PostgreSQL the tests may
// create databases on. The decisions are pure functions, tested with tables of cases;
// prepareTestEnvironment carries them out.
import { spawn } from "node:child_process";
import { accessSync, constants, existsSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "../server/persistence/database";
import { freePort } from "../tests/helpers/free-port";
import { LOCAL_DATABASE_ADMIN_URL } from "../tests/helpers/test-database";
import { buildNative, nativeUpToDate } from "./build-native.mjs";

export type Env = Record<string, string | undefined>;

export type Tool = {
  label: string;
  /** Looked up on PATH unless `pinnedBy` names a variable that is set. */
  command: string;
  debianPackage: string;
  pinnedBy?: string;
};

export const CHROMIUM: Tool = { label: "Chromium", command: "chromium", debianPackage: "chromium", pinnedBy: "CHROMIUM_PATH" };
export const REDIS: Tool = { label: "redis-server", command: "redis-server", debianPackage: "redis-server" };
// build-native.mjs compiles with $CXX, else g++.
export const COMPILER: Tool = { label: "g++", command: "g++", debianPackage: "g++", pinnedBy: "CXX" };

export type Machine = { debian: boolean; root: boolean; installAllowed: boolean };

export type ToolPlan =
  | { action: "none" }
  | { action: "install"; command: string[] }
  | { action: "stop"; message: string };

/** The tool's executable: its pinning variable's value when set (a path, or a name on PATH), else its command on PATH. */
export function locate(tool: Tool, env: Env, isExecutable: (path: string) => boolean): string | null {
  const wanted = (tool.pinnedBy && env[tool.pinnedBy]) || tool.command;
  if (wanted.includes("/")) return isExecutable(wanted) ? wanted : null;
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (dir && isExecutable(join(dir, wanted))) return join(dir, wanted);
  }
  return null;
}

export const aptInstall = (tools: Tool[]) => ["apt-get", "install", "-y", ...tools.map((t) => t.debianPackage)];

/** What to do about the tools `locate` did not find: nothing, install them (Debian, as root), or stop with one sentence. */
export function planTools(missing: Tool[], env: Env, machine: Machine): ToolPlan {
  if (missing.length === 0) return { action: "none" };
  // Installing would not help: the tests would still look where the variable points.
  const pinned = missing.find((t) => t.pinnedBy && env[t.pinnedBy]);
  if (pinned) {
    const name = pinned.pinnedBy!;
    return { action: "stop", message: `${name} is ${env[name]}, which is not an executable here: point it at ${pinned.label} or run \`unset ${name}\`, then npm test again.` };
  }
  const command = aptInstall(missing);
  if (machine.debian && machine.root && machine.installAllowed) return { action: "install", command };
  const [is, them] = missing.length === 1 ? ["is", "it"] : ["are", "them"];
  const needs = `${listOf(missing.map((t) => t.label))} ${is} not installed`;
  if (machine.debian) {
    return { action: "stop", message: `${needs}; run \`${machine.root ? "" : "sudo "}${command.join(" ")}\`, then npm test again.` };
  }
  const chromiumHint = missing.includes(CHROMIUM) ? " (or set CHROMIUM_PATH to Chromium's executable)" : "";
  return {
    action: "stop",
    message: `${needs}; install ${them} with this system's package manager so that ${listOf(missing.map((t) => t.command))} ${is} on PATH${chromiumHint}, then npm test again.`,
  };
}

/** The server the tests make their databases on, before asking whether it answers. */
export function databaseCandidate(env: Env): string {
  return env.TEST_DATABASE_ADMIN_URL || env.DATABASE_URL || LOCAL_DATABASE_ADMIN_URL;
}

/** The URL without its password, for the log. */
export function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "***";
  return parsed.href;
}

function listOf(items: string[]): string {
  return items.length === 1 ? items[0]! : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/** The machine is not ready for the tests; the message says what to run. */
export class SetupStopped extends Error {}

export type PreparedEnvironment = {
  /** Variables for the test commands: where Chromium is, which PostgreSQL to make databases on. */
  env: { CHROMIUM_PATH: string; TEST_DATABASE_ADMIN_URL: string };
  /** Stops what the set-up started: the embedded PostgreSQL, if it started one. */
  teardown(): Promise<void>;
};

export async function prepareTestEnvironment(options: { installAllowed: boolean; log: (line: string) => void }): Promise<PreparedEnvironment> {
  const chromium = await ensureTools(options);
  const candidate = databaseCandidate(process.env);
  const unreachable = await whyUnreachable(candidate);
  if (unreachable === null) {
    options.log(`using the PostgreSQL at ${redact(candidate)}`);
    return { env: { CHROMIUM_PATH: chromium, TEST_DATABASE_ADMIN_URL: candidate }, teardown: async () => {} };
  }

  // A free port is an ephemeral one, never 5432, so a system server starting later can't clash.
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), "doodle-test-pg-"));
  options.log(`no PostgreSQL answers at ${redact(candidate)} (${unreachable}); starting the embedded one on port ${port} (data in ${dataDir}) for this run`);
  const removeDataDir = () => rm(dataDir, { recursive: true, force: true });
  const database = await startEmbeddedPostgres({ dataDir, port }).catch(async (error: unknown) => {
    await removeDataDir();
    throw error;
  });
  const adminUrl = new URL(database.url);
  adminUrl.pathname = "/postgres";
  return {
    env: { CHROMIUM_PATH: chromium, TEST_DATABASE_ADMIN_URL: adminUrl.href },
    teardown: async () => {
      await database.stop();
      await removeDataDir();
      options.log(`stopped the embedded PostgreSQL on port ${port}`);
    },
  };
}

/** Finds (or installs, then finds) the tools; returns Chromium's path. */
async function ensureTools(options: { installAllowed: boolean; log: (line: string) => void }): Promise<string> {
  const env = process.env;
  const needed = nativeUpToDate() ? [CHROMIUM, REDIS] : [CHROMIUM, REDIS, COMPILER];
  const missing = () => needed.filter((t) => locate(t, env, isExecutable) === null);
  const machine = { debian: existsSync("/etc/debian_version"), root: process.getuid?.() === 0, installAllowed: options.installAllowed };
  const plan = planTools(missing(), env, machine);
  if (plan.action === "stop") throw new SetupStopped(plan.message);
  if (plan.action === "install") {
    options.log(`installing what is missing (this takes a few minutes): ${plan.command.join(" ")}`);
    await installWithApt(plan.command);
    const still = missing();
    if (still.length > 0) throw new SetupStopped(`${listOf(still.map((t) => t.command))} still not found on PATH after \`${plan.command.join(" ")}\`.`);
  }
  if (needed.includes(COMPILER)) {
    try {
      buildNative();
    } catch (error) {
      throw new SetupStopped(`the native training kernels did not build (${(error as Error).message}): run \`node scripts/build-native.mjs\` to see why.`);
    }
    options.log("built the native training kernels");
  }
  return locate(CHROMIUM, env, isExecutable)!;
}

/** `apt-get install`, after `apt-get update` when the package lists are missing or stale (a fresh machine has none). */
async function installWithApt(command: string[]): Promise<void> {
  const aptEnv = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const first = await runQuietly(command, aptEnv);
  if (first.code === 0) return;
  const update = await runQuietly(["apt-get", "update"], aptEnv);
  const second = update.code === 0 ? await runQuietly(command, aptEnv) : update;
  if (second.code !== 0) {
    throw new SetupStopped(`\`${command.join(" ")}\` failed; its output ended:\n${second.output.slice(-2000)}`);
  }
}

/** Runs a command with its output kept, to show only if it fails. */
function runQuietly(argv: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.once("error", (error) => resolve({ code: 1, output: error.message }));
    child.once("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile(); // directories pass X_OK too
  } catch {
    return false;
  }
}

/** Null when a server at `url` takes a query, else why not. */
async function whyUnreachable(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return null;
  } catch (error) {
    return (error as Error).message || (error as { code?: string }).code || String(error);
  } finally {
    await client.end().catch(() => {});
  }
}
