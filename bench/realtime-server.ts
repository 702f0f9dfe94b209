// One server for bench/realtime.ts, in its own process: the load generator must not share the
// server's event loop, and the server's CPU time can only be read alone in a process of its own.
//   game <databaseUrl>: the real game server (validation, rules, Postgres), no pages.
//   bare: the floor socket.io itself sets: the same events, broadcast to the room, nothing else.
// With REDIS_URL set, both share rooms with their peers: the game through server/cluster, the bare
// one through the same Redis adapter.
// Talks to the parent over the IPC channel: "ready" with the port, then answers "mark" (a measured
// stretch starts) and "report" (it ends) with CPU time, event-loop delay and memory; exits on "stop".
// With BENCH_PROFILE_DIR set, each measured stretch's CPU profile is written there (.cpuprofile).
import { writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { Session } from "node:inspector/promises";
import type { AddressInfo } from "node:net";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { Server } from "socket.io";
import { createAdapter } from "@socket.io/redis-adapter";
import { Redis } from "ioredis";

export type ServerReport = {
  cpu: NodeJS.CpuUsage;
  /** This process's clock, ms: CPU time over time passed between "mark" and "report". */
  at: number;
  /** Event-loop delay since the last "mark", in ms. */
  loopDelay: { p99: number; max: number };
  /** Resident memory, bytes. */
  rss: number;
};
export type ServerMessage = { type: "ready"; port: number } | ({ type: "mark" | "report" } & ServerReport);

async function startBare(): Promise<{ port: number; stop(): Promise<void> }> {
  const http = createServer();
  const io = new Server(http, { transports: ["websocket"], serveClient: false });
  const redis = process.env.REDIS_URL ? new Redis(process.env.REDIS_URL) : null;
  if (redis) io.adapter(createAdapter(redis, redis.duplicate()));
  const liveDue = new Map<string, unknown[][]>();
  io.on("connection", (socket) => {
    let room = "";
    socket.on("room:join", (p: { code: string }, ack: (a: object) => void) => {
      room = p.code;
      void socket.join(room);
      ack({ ok: true, code: p.code, playerId: socket.id, token: "" });
    });
    socket.on("stroke:add", (p: { roundId: string; stroke: { id: string } }, ack: (a: object) => void) => {
      socket.to(room).emit("stroke:added", { roundId: p.roundId, playerId: socket.id, stroke: p.stroke });
      ack({ ok: true, strokeId: p.stroke.id, duplicate: false });
    });
    // Live ink as the game passes it on: each batch with whose stroke it is, the batches of one
    // turn of the event loop in one message to the whole room (server/realtime/room-runtime.ts flushLive).
    socket.on("ink:live", (p: unknown[]) => {
      let due = liveDue.get(room);
      if (!due) {
        due = [];
        liveDue.set(room, due);
        const code = room;
        setImmediate(() => {
          io.to(code).emit("ink:live", liveDue.get(code));
          liveDue.delete(code);
        });
      }
      due.push([socket.id, ...p]);
    });
    socket.on("drawing:clear", (p: { roundId: string }, ack: (a: object) => void) => {
      io.to(room).emit("stroke:removed", { roundId: p.roundId, playerId: socket.id, strokeIds: [] });
      ack({ ok: true });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  return {
    port: (http.address() as AddressInfo).port,
    stop: () => new Promise<void>((resolve) => io.close(() => resolve())),
  };
}

const [mode, databaseUrl] = process.argv.slice(2);
if (mode !== "bare" && !(mode === "game" && databaseUrl)) {
  console.error("usage: tsx bench/realtime-server.ts bare | game <databaseUrl>");
  process.exit(2);
}
const send = (m: ServerMessage) => process.send!(m);

async function startGame(databaseUrl: string) {
  // Imported here so the bare server's process holds none of the game's modules.
  const { startServer } = await import("../server/start");
  // Every simulated player comes from this one address: lift the per-address limits.
  const addressLimits = { wrongRoomCodesPerMinute: 1e6, roomsCreatedPerMinute: 1e6, snapshotBytesPerMinute: 1e12, seatsPerRoom: 12 };
  return startServer({ port: 0, host: "127.0.0.1", pages: false, databaseUrl, redisUrl: process.env.REDIS_URL, addressLimits });
}

const server = mode === "bare" ? await startBare() : await startGame(databaseUrl!);
// Always on: turning it off and on would count the off time as one long delay.
const loop = monitorEventLoopDelay({ resolution: 1 });
loop.enable();
const ms = (ns: number) => ns / 1e6;
/**
 * After a full collection where the parent allows one (--expose-gc): live memory, not garbage
 * awaiting a GC. Only at a stretch's end: the pause must not count in the next stretch's loop delay.
 */
const residentMemory = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage.rss();
};
const report = (): Omit<ServerReport, "rss"> => ({
  cpu: process.cpuUsage(),
  at: performance.now(),
  loopDelay: { p99: ms(loop.percentile(99)), max: ms(loop.max) },
});

const profileDir = process.env.BENCH_PROFILE_DIR;
const profiler = profileDir ? new Session() : null;
profiler?.connect();
let profiles = 0;

process.on("message", async (m: { type: "mark" | "report" | "stop" }) => {
  if (m.type === "mark") {
    if (profiler) {
      await profiler.post("Profiler.enable");
      await profiler.post("Profiler.start");
    }
    const rss = residentMemory();
    loop.reset();
    send({ type: "mark", ...report(), rss });
  } else if (m.type === "report") {
    // The collection's CPU time falls outside the stretch.
    const end = report();
    send({ type: "report", ...end, rss: residentMemory() });
    if (profiler) {
      const { profile } = await profiler.post("Profiler.stop");
      writeFileSync(`${profileDir}/${mode}-${process.pid}-${++profiles}.cpuprofile`, JSON.stringify(profile));
    }
  } else {
    await server.stop();
    process.disconnect();
    process.exit(0);
  }
});
send({ type: "ready", port: server.port });
