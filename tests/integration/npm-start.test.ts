// `npm start` as a process manager or a terminal runs it: one tree (npm, the server, the fine-tune
// worker, the embedded PostgreSQL) that ends as a whole when npm is signalled, with the database
// shut down cleanly. On a PostgreSQL of its own (fresh data folder, free ports). The pages must be
// built and current (npm test builds them first); otherwise this start builds them, which is slow.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../helpers/free-port";
import { waitFor } from "../helpers/finetune-worker";
import { commandOf, descendants, isAlive, processTable } from "../helpers/process-tree";

const START_TIMEOUT_MS = 8 * 60_000; // a stale build is rebuilt first
const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

type Started = { npm: ChildProcess; port: number; dataDir: string; output: () => string };

async function startNpm(): Promise<Started> {
  const dataDir = await mkdtemp(join(tmpdir(), "dd-npm-start-"));
  const port = await freePort();
  let output = "";
  const npm = spawn("npm", ["start"], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      EMBEDDED_PG_DATA: dataDir,
      EMBEDDED_PG_PORT: String(await freePort()),
      DATABASE_URL: "",
      ADMIN_TOKEN: "npm-start-test",
      LOG_LEVEL: "info",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  npm.stdout!.on("data", (chunk: Buffer) => (output += chunk));
  npm.stderr!.on("data", (chunk: Buffer) => (output += chunk));
  cleanups.push(async () => {
    // A failed test must not leave its tree behind either.
    for (const pid of [npm.pid!, ...descendants(processTable(), npm.pid!)]) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // gone
      }
    }
    await rm(dataDir, { recursive: true, force: true });
  });
  return { npm, port, dataDir, output: () => output };
}

/** The whole tree once the server answers and its worker is up: npm, node, the worker, postgres. */
async function runningTree(started: Started): Promise<number[]> {
  await waitFor(
    "the server to answer /healthz",
    async () => {
      if (started.npm.exitCode !== null) throw new Error(`npm start exited (${started.npm.exitCode}):\n${started.output()}`);
      return fetch(`http://127.0.0.1:${started.port}/healthz`).then((r) => (r.ok ? true : undefined), () => undefined);
    },
    START_TIMEOUT_MS,
  );
  return waitFor(
    "the fine-tune worker to start",
    async () => {
      const tree = descendants(processTable(), started.npm.pid!);
      return tree.some((pid) => commandOf(pid).includes("worker/main.ts")) ? tree : undefined;
    },
    30_000,
  );
}

const portClosed = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });

async function assertTreeGone(started: Started, tree: number[]): Promise<void> {
  await waitFor("every process of the tree to exit", async () => (tree.every((pid) => !isAlive(pid)) ? true : undefined), 60_000).catch(
    (error: Error) => {
      const left = tree.filter(isAlive).map((pid) => `${pid} ${commandOf(pid)}`);
      throw new Error(`${error.message}; still running:\n${left.join("\n")}\n--- output:\n${started.output()}`);
    },
  );
  assert.equal(await portClosed(started.port), true, "the game's port still answers");
  // PostgreSQL removes its pid file only on a clean shutdown.
  assert.equal(existsSync(join(started.dataDir, "postmaster.pid")), false, "PostgreSQL did not shut down cleanly");
}

test("SIGTERM to the npm process stops the server, the worker and the embedded PostgreSQL, cleanly", { timeout: START_TIMEOUT_MS + 120_000 }, async () => {
  const started = await startNpm();
  const tree = await runningTree(started);
  const commands = tree.map(commandOf).join("\n");
  assert.match(commands, /npm-start\.ts/);
  assert.match(commands, /postgres/);
  assert.match(started.output(), /npm start: (pages are up to date|pages built)/, "the start says what it did with the build");

  started.npm.kill("SIGTERM");
  await assertTreeGone(started, [started.npm.pid!, ...tree]);
  // npm passes SIGTERM to its shell, which dies of it: the server hears it directly or sees its parent go.
  assert.match(started.output(), /stopping \((SIGTERM|the process that started this server is gone)\)/);
});

test("the server killed outright (SIGKILL, as by the OOM killer): the worker and PostgreSQL stop on their own", { timeout: START_TIMEOUT_MS + 120_000 }, async () => {
  const started = await startNpm();
  const tree = await runningTree(started);
  const server = tree.find((pid) => commandOf(pid).includes("npm-start.ts"))!;

  process.kill(server, "SIGKILL");
  await assertTreeGone(started, [started.npm.pid!, ...tree]);
});

test("npm killed outright (SIGKILL, no chance to pass anything on): the server notices and stops the rest", { timeout: START_TIMEOUT_MS + 120_000 }, async () => {
  const started = await startNpm();
  const tree = await runningTree(started);

  started.npm.kill("SIGKILL");
  await assertTreeGone(started, tree);
  assert.match(started.output(), /stopping \(the process that started this server is gone\)/);
});
