// npm test's set-up (scripts/test.ts) on a machine that lacks what the tests need: with Chromium,
// redis-server and the PostgreSQL out of reach it stops at once with the command to run; with only
// the PostgreSQL out of reach it starts the embedded one, runs a real integration test file on it,
// and stops it afterwards, also when the command fails or is interrupted.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { freePort } from "../helpers/free-port";

type Run = { code: number | null; stdout: string; stderr: string };

/** Runs scripts/test.ts; `onStdout` sees the output so far, and may answer with a signal to send it. */
function runSetup(args: string[], env: NodeJS.ProcessEnv, onStdout?: (stdout: string) => NodeJS.Signals | null): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/test.ts", ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    const run: Run = { code: null, stdout: "", stderr: "" };
    let signalled = false;
    child.stdout.on("data", (chunk: Buffer) => {
      run.stdout += chunk.toString();
      const signal = signalled ? null : onStdout?.(run.stdout);
      if (signal) signalled = child.kill(signal);
    });
    child.stderr.on("data", (chunk: Buffer) => (run.stderr += chunk.toString()));
    child.once("error", reject);
    child.once("close", (code) => resolve({ ...run, code }));
  });
}

/** What the set-up said about the embedded PostgreSQL it started. */
function embeddedStart(stdout: string): { port: number; dataDir: string } {
  const match = /starting the embedded one on port (\d+) \(data in (\S+)\)/.exec(stdout);
  assert.ok(match, `the set-up says it starts the embedded PostgreSQL:\n${stdout}`);
  return { port: Number(match[1]), dataDir: match[2]! };
}

async function assertStopped(embedded: { port: number; dataDir: string }): Promise<void> {
  const refused = await new Promise<boolean>((resolve) => {
    const socket = connect(embedded.port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });
  assert.ok(refused, `nothing listens on port ${embedded.port} any more`);
  assert.equal(existsSync(embedded.dataDir), false, "its data directory is removed");
}

function without(env: NodeJS.ProcessEnv, ...names: string[]): NodeJS.ProcessEnv {
  const copy = { ...env };
  for (const name of names) delete copy[name];
  return copy;
}

// Not for the runs here: the outer npm test's choice of PostgreSQL, and the outer test runner's
// NODE_TEST_CONTEXT, with which an inner `node --test` reports to it instead of printing results.
const inherited = without(process.env, "TEST_DATABASE_ADMIN_URL", "NODE_TEST_CONTEXT");
let deadDatabaseUrl: string;
let emptyDir: string;

before(async () => {
  deadDatabaseUrl = `postgres://postgres@127.0.0.1:${await freePort()}/postgres`;
  emptyDir = await mkdtemp(join(tmpdir(), "dd-no-tools-"));
});

after(async () => {
  await rm(emptyDir, { recursive: true, force: true });
});

test("without Chromium, redis-server and a PostgreSQL, and installing forbidden, it stops at once with the command to run", async () => {
  const marker = join(emptyDir, "ran");
  const run = await runSetup(["--no-install", "--", process.execPath, "-e", `require("fs").writeFileSync(${JSON.stringify(marker)}, "")`], {
    ...without(inherited, "CHROMIUM_PATH"),
    PATH: emptyDir,
    DATABASE_URL: deadDatabaseUrl,
  });
  assert.equal(run.code, 1);
  // g++ joins the list where the native kernels are unbuilt.
  assert.match(run.stderr, /^npm test: Chromium(, redis-server and g\+\+ are| and redis-server are) not installed; run `(sudo )?apt-get install -y chromium redis-server( g\+\+)?`, then npm test again\.\n$/);
  assert.equal(existsSync(marker), false, "the command did not run");
  assert.doesNotMatch(run.stdout, /embedded/, "no PostgreSQL was started");
});

test("on Debian as root it installs what is missing with apt-get, updating the package lists when the install fails", {
  skip: existsSync("/etc/debian_version") && process.getuid?.() === 0 ? false : "installs only as root on Debian",
}, async () => {
  // A stand-in apt-get on an otherwise empty PATH: it fails to install until `apt-get update` has
  // run (as on a fresh machine, which has no package lists), then puts the packages' commands there.
  const bin = await mkdtemp(join(tmpdir(), "dd-fake-apt-"));
  try {
    await writeFile(join(bin, "apt-get"), [
      "#!/bin/sh",
      "PATH=/usr/bin:/bin",
      `dir=${bin}`,
      'echo "$*" >> "$dir/calls"',
      'if [ "$1" = update ]; then touch "$dir/lists"; exit 0; fi',
      '[ -e "$dir/lists" ] || { echo "E: Unable to locate package $3" >&2; exit 100; }',
      'shift 2; for package in "$@"; do printf "#!/bin/sh\n" > "$dir/$package"; chmod +x "$dir/$package"; done',
      "",
    ].join("\n"), { mode: 0o755 });
    const run = await runSetup(["--", process.execPath, "-e", "console.log(`chromium: ${process.env.CHROMIUM_PATH}`)"], {
      ...without(inherited, "CHROMIUM_PATH"),
      PATH: bin,
    });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /installing what is missing .*: apt-get install -y chromium redis-server/);
    assert.deepEqual((await readFile(join(bin, "calls"), "utf8")).trim().split("\n"), [
      "install -y chromium redis-server",
      "update",
      "install -y chromium redis-server",
    ]);
    assert.match(run.stdout, new RegExp(`^chromium: ${join(bin, "chromium")}$`, "m"), "the tests get the installed Chromium");
  } finally {
    await rm(bin, { recursive: true, force: true });
  }
});

test("with nothing at DATABASE_URL it runs an integration test file on the embedded PostgreSQL, then stops it", async () => {
  const testFile = "tests/integration/dance.test.ts";
  const run = await runSetup(
    ["--no-install", "--", "sh", "-c", `echo "admin: $TEST_DATABASE_ADMIN_URL" && exec "$0" --import tsx --test --test-reporter=tap ${testFile}`, process.execPath],
    { ...inherited, DATABASE_URL: deadDatabaseUrl },
  );
  assert.equal(run.code, 0, run.stdout + run.stderr);
  const embedded = embeddedStart(run.stdout);
  assert.notEqual(embedded.port, 5432);
  assert.equal(/^admin: (\S+)$/m.exec(run.stdout)?.[1], `postgres://postgres:doodledance@127.0.0.1:${embedded.port}/postgres`, "the tests make their databases there");
  for (const line of ["# pass 1", "# fail 0", "# cancelled 0", "# skipped 0"]) assert.match(run.stdout, new RegExp(`^${line}$`, "m"));
  await assertStopped(embedded);
});

test("the embedded PostgreSQL is stopped when the command fails", async () => {
  const run = await runSetup(["--no-install", "--", process.execPath, "-e", "process.exit(3)"], { ...inherited, DATABASE_URL: deadDatabaseUrl });
  assert.equal(run.code, 3, "the command's exit code");
  await assertStopped(embeddedStart(run.stdout));
});

test("the embedded PostgreSQL is stopped on Ctrl-C", async () => {
  const run = await runSetup(
    ["--no-install", "--", process.execPath, "-e", "console.log('ready'); setInterval(() => {}, 1000)"],
    { ...inherited, DATABASE_URL: deadDatabaseUrl },
    (stdout) => (/^ready$/m.test(stdout) ? "SIGINT" : null),
  );
  assert.equal(run.code, 130, run.stdout + run.stderr);
  await assertStopped(embeddedStart(run.stdout));
});
