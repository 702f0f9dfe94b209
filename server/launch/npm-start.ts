// `npm start`: one process from the build to the running game. It brings the pages up to date
// (a build only when a source changed), then runs the server here, in this process, so the
// signal npm forwards (or a process manager sends) reaches the server itself, and everything the
// server starts (fine-tune worker, embedded PostgreSQL) stops with it.
import { ensurePagesBuilt } from "./pages-build";
import { watchParent } from "./parent-watch";

const say = (line: string) => console.log(`npm start: ${line} [${process.uptime().toFixed(1)} s]`);

// Until the server takes over its own signals: a stop during the build ends the build and us.
const stopBuild = new AbortController();
const onSignal = () => stopBuild.abort();
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);
const unwatch = watchParent(onSignal);

try {
  await ensurePagesBuilt({ root: process.cwd(), say, signal: stopBuild.signal });
} catch (error) {
  console.error(`npm start: ${(error as Error).message}`);
  process.exit(stopBuild.signal.aborted ? 143 : 1);
}
process.removeListener("SIGINT", onSignal);
process.removeListener("SIGTERM", onSignal);
unwatch();
say("starting the server (database, migrations, pages, sockets)…");
await import("../main");
