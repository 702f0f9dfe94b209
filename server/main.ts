// `npm start` / `npm run dev`: the game on one port (PORT, default 3000).
import { startServer } from "./start";
import { log } from "./log";
import { generateAdminToken } from "./http/admin-auth";
import { spawnFinetuneWorker } from "./worker/spawn";

const dev = process.argv.includes("--dev");
const port = Number(process.env.PORT ?? 3000);

// Never a default token: without ADMIN_TOKEN a fresh one is made and shown once, here.
const adminToken = process.env.ADMIN_TOKEN || generateAdminToken();
const server = await startServer({ port, host: process.env.HOST, pages: { dev }, adminToken });
log.info(`Doodle Dance is running at http://localhost:${server.port}`);
if (!process.env.ADMIN_TOKEN) console.log(`Admin page: http://localhost:${server.port}/admin  (token for this run: ${adminToken}; set ADMIN_TOKEN to choose one)`);
// One fine-tune worker beside the server, so a fresh machine has everything (FINETUNE_WORKER=0: run workers elsewhere).
const worker = process.env.FINETUNE_WORKER === "0" ? null : spawnFinetuneWorker(server.databaseUrl);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info("stopping…");
    Promise.resolve(worker?.stop())
      .then(() => server.stop())
      .then(() => process.exit(0))
      .catch((err) => {
        log.error("unclean stop", err);
        process.exit(1);
      });
  });
}
