// `npm start` runs one fine-tune worker as a child process at low CPU priority, so training never
// competes with the game server on equal terms; stopping the server stops it first (it
// checkpoints a running job, which another worker or the next start resumes).
import { spawn } from "node:child_process";
import { setPriority } from "node:os";
import { fileURLToPath } from "node:url";
import { log } from "../log";
import { PARENT_PID_ENV } from "../launch/parent-watch";

const WORKER_MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));

export function spawnFinetuneWorker(databaseUrl: string): { stop(): Promise<void> } {
  let stopping = false;
  const child = spawn(process.execPath, ["--import", "tsx", WORKER_MAIN], {
    env: { ...process.env, DATABASE_URL: databaseUrl, [PARENT_PID_ENV]: String(process.pid) },
    stdio: ["ignore", "inherit", "inherit"],
  });
  try {
    if (child.pid) setPriority(child.pid, 10);
  } catch {
    // not allowed here: it still runs in its own process
  }
  const exited = new Promise<void>((resolve) => child.once("exit", (code, signal) => {
    if (!stopping) log.warn(`fine-tune worker exited (${signal ?? code}); fine-tunes wait until a worker runs (npm run worker)`);
    resolve();
  }));
  return {
    async stop() {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
