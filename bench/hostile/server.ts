// The game server for bench/hostile.ts, in its own process so its memory and the bytes it writes
// can be read alone: default limits, behind a pretend proxy (TRUST_PROXY=1), so each simulated
// client names its own address in X-Forwarded-For. Sends "ready" with the port; answers "memory"
// (after a full GC) with its RSS and heap.
import { startServer } from "../../server/start";

const server = await startServer({ port: 0, host: "127.0.0.1", pages: false, databaseUrl: process.argv[2]!, trustProxy: 1 });
const gc = (globalThis as { gc?: () => void }).gc;
process.on("message", (m: { type: string }) => {
  if (m.type === "memory") {
    gc?.();
    const { rss, heapUsed } = process.memoryUsage();
    process.send!({ type: "memory", rss, heapUsed });
  } else if (m.type === "stop") void server.stop().then(() => process.exit(0));
});
process.send!({ type: "ready", port: server.port });
