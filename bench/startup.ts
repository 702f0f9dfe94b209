// How long `npm start` takes to serve the first page: a first start (pages built if stale, the
// embedded PostgreSQL created) and then starts with nothing changed.
//   npx tsx bench/startup.ts [DIR=.] [STARTS=3]
// Each start runs `npm start` in DIR on a free port with the embedded PostgreSQL in a fresh temp
// folder (so the first start also creates it, as on a fresh clone), times it to the first 200 of
// GET /, then stops it with SIGTERM and waits for the whole tree to exit.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freePort } from "../tests/helpers/free-port";

const dir = resolve(process.argv[2] ?? ".");
const starts = Number(process.argv[3] ?? 3);
const dataDir = await mkdtemp(join(tmpdir(), "dd-bench-start-"));
const pgPort = await freePort();

async function timeOneStart(): Promise<{ seconds: number; built: boolean }> {
  const port = await freePort();
  const started = performance.now();
  const npm = spawn("npm", ["start"], {
    cwd: dir,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", EMBEDDED_PG_DATA: dataDir, EMBEDDED_PG_PORT: String(pgPort), DATABASE_URL: "", ADMIN_TOKEN: "bench" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  npm.stdout!.on("data", (chunk: Buffer) => (output += chunk));
  for (;;) {
    if (npm.exitCode !== null) throw new Error(`npm start exited (${npm.exitCode}):\n${output}`);
    const ok = await fetch(`http://127.0.0.1:${port}/`).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const seconds = (performance.now() - started) / 1000;
  const exited = new Promise((r) => npm.once("exit", r));
  npm.kill("SIGTERM");
  await exited;
  // The server outlives npm by its clean stop: wait until the port is free again.
  while (await fetch(`http://127.0.0.1:${port}/healthz`).then(() => true, () => false)) await new Promise((r) => setTimeout(r, 100));
  return { seconds, built: /pages built/.test(output) };
}

console.log(`npm start in ${dir}; load average ${loadavg()[0]!.toFixed(1)}`);
try {
  for (let i = 1; i <= starts; i++) {
    const { seconds, built } = await timeOneStart();
    console.log(`start ${i}: first page after ${seconds.toFixed(1)} s (${built ? "built the pages" : "pages up to date"}; load ${loadavg()[0]!.toFixed(1)})`);
  }
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
