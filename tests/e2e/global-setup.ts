// Starts the real server (production Next build + socket.io) on a fresh test database,
// and stops both afterwards. The pages must have been built (`next build`) first.
import { spawn } from "node:child_process";
import { createTestDatabase } from "../helpers/test-database";

export const E2E_ADMIN_TOKEN = "e2e-admin-token";

export default async function globalSetup(): Promise<() => Promise<void>> {
  const db = await createTestDatabase();
  const port = 3000 + Math.floor(Math.random() * 1000) + 1000;
  // Node itself, not npx: killing npx would leave the server running under it.
  const server = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATABASE_URL: db.url, NODE_ENV: "production", LOG_LEVEL: "warn",
      // admin-finetune.spec.ts: a known admin token, and a worker (spawned by main.ts) sized for a 3-step fine-tune.
      ADMIN_TOKEN: E2E_ADMIN_TOKEN,
      // room-safety.spec.ts gives each browser context a network of its own through X-Forwarded-For.
      TRUST_PROXY: "1", FINETUNE_REPLAY: "64", FINETUNE_EVAL_LIMIT: "64", FINETUNE_SAMPLE_EVERY: "1" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error("server did not start within 60 s");
    await new Promise((r) => setTimeout(r, 200));
  }
  process.env.E2E_BASE_URL = base;
  process.env.E2E_DATABASE_URL = db.url;
  return async () => {
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
    await db.drop();
  };
}
