// `npm start` / `npm run dev`: the game on one port (PORT, default 3000).
import { startServer } from "./start";
import { log } from "./log";

const dev = process.argv.includes("--dev");
const port = Number(process.env.PORT ?? 3000);

const server = await startServer({ port, host: process.env.HOST, pages: { dev } });
log.info(`Doodle Dance is running at http://localhost:${server.port}`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info("stopping…");
    server
      .stop()
      .then(() => process.exit(0))
      .catch((err) => {
        log.error("unclean stop", err);
        process.exit(1);
      });
  });
}
