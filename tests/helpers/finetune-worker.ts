// Starts `npm run worker`'s entry as a child process against a test database, with settings that
// make a fine-tune of a few steps finish in seconds (small replay and evaluation sets, a
// checkpoint after every step, a short heartbeat timeout).
import { spawn, type ChildProcess } from "node:child_process";

export function startWorker(databaseUrl: string, env: Record<string, string> = {}): ChildProcess & { output: string[] } {
  const child = spawn(process.execPath, ["--import", "tsx", "server/worker/main.ts"], {
    env: {
      ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: "info",
      FINETUNE_REPLAY: "64", FINETUNE_EVAL_LIMIT: "64", FINETUNE_CHECKPOINT_SEC: "0", FINETUNE_SAMPLE_EVERY: "1", FINETUNE_STALE_MS: "5000",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  }) as ChildProcess & { output: string[] };
  child.output = [];
  child.stdout!.on("data", (d: Buffer) => child.output.push(d.toString()));
  child.stderr!.on("data", (d: Buffer) => child.output.push(d.toString()));
  return child;
}

/** Stops the worker with `signal`; one that has not exited after graceMs is killed, so a test never hangs on it. */
export async function stopWorker(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM", graceMs = 60_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill(signal);
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Polls until `check` returns a value (not undefined), or throws after timeoutMs. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number, everyMs = 250): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
