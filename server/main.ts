// The game server on one port (PORT, default 3000): `npm start` runs it after the build
// (server/launch/npm-start.ts), `npm run dev` directly with Next.js in development mode.
import { startServer } from "./start";
import { log } from "./log";
import { generateAdminToken } from "./http/admin-auth";
import { spawnFinetuneWorker } from "./worker/spawn";
import { watchParent } from "./launch/parent-watch";

const dev = process.argv.includes("--dev");
const port = Number(process.env.PORT ?? 3000);

// Never a default token: without ADMIN_TOKEN a fresh one is made and shown once, here.
const adminToken = process.env.ADMIN_TOKEN || generateAdminToken();
const server = await startServer({ port, host: process.env.HOST, pages: { dev }, adminToken });
log.info(`Doodle Dance is running at http://localhost:${server.port} (ready ${process.uptime().toFixed(1)} s after start)`);
if (!process.env.ADMIN_TOKEN) console.log(`Admin page: http://localhost:${server.port}/admin  (token for this run: ${adminToken}; set ADMIN_TOKEN to choose one)`);
// One fine-tune worker beside the server, so a fresh machine has everything (FINETUNE_WORKER=0: run workers elsewhere).
const worker = process.env.FINETUNE_WORKER === "0" ? null : spawnFinetuneWorker(server.databaseUrl);

let stopping = false;
function stop(why: string): void {
  if (stopping) return;
  stopping = true;
  log.info(`stopping (${why})…`);
  Promise.resolve(worker?.stop())
    .then(() => server.stop())
    .then(() => process.exit(0))
    .catch((err) => {
      log.error("unclean stop", err);
      process.exit(1);
    });
}
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => stop(signal));
// npm killed with SIGKILL, or a shell that went away: nobody will signal us, so stop on our own.
watchParent(() => stop("the process that started this server is gone"));
