// Realtime fan-out: simulated players in rooms each send a stroke at a steady rate; we time how
// long each stroke takes to reach every other player in its room, against a bare socket.io
// broadcast server (the floor) and the game server (schema checks, rules, Postgres) under the
// same load. The ratio game/bare is the figure the issue asks for (<= 1.5).
// Each server runs in a child process (bench/realtime-server.ts); all players live here, so
// send and receive times come from one clock. The machine is shared, so the two servers take
// turns in short slices (bare, game, game, bare, ...): a change in background load hits both.
//
//   nice -n 5 npx tsx bench/realtime.ts [--players 200] [--room-size 10] [--rate 10] [--points 30]
//                                       [--seconds 30] [--slices 3] [--warmup 3] [--servers 1]
// --servers N > 1 runs N processes of each kind sharing rooms through a private Redis (one per
// kind); each room's players are spread over the servers, as a load balancer would.
// --seconds is the measured time per server, split into --slices; each slice starts with
// --warmup seconds of unmeasured load.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import pg from "pg";
import { io, type Socket } from "socket.io-client";
import {
  MAX_PLAYERS_PER_ROOM,
  MAX_POINTS_PER_STROKE,
  MAX_STROKES_PER_DRAWING,
  PROTOCOL_VERSION,
  ROUNDS_MAX,
  ROUND_SECONDS_MAX,
  type Ack,
  type ClientToServerEvents,
  type RoomView,
  type ServerToClientEvents,
} from "../protocol";
import { seededRandom, type Random } from "../common/random";
import { makeStroke } from "../tests/helpers/game-client";
import { createTestDatabase, type TestDatabase } from "../tests/helpers/test-database";
import { startTestRedis, type TestRedis } from "../tests/helpers/redis-server";
import { summarize, type Summary } from "./lib/percentiles";
import type { ServerMessage, ServerReport } from "./realtime-server";

type Settings = {
  players: number;
  roomSize: number;
  rate: number;
  points: number;
  seconds: number;
  slices: number;
  warmup: number;
  servers: number;
};
type Target = "bare" | "game";
type BenchSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type Player = {
  index: number;
  socket: BenchSocket;
  roundId: string;
  /** Epoch ms; strokes' times count from here. */
  roundStartedAt: number;
  receivers: number;
  random: Random;
  seq: number;
};

/** Players clear their canvas now and then, as real ones do: a doodle holds at most 300 strokes. */
const CLEAR_EVERY = MAX_STROKES_PER_DRAWING / 2;
/** How long to wait after the last send for deliveries and acks still in flight. */
const DRAIN_MS = 10_000;
/** makeStroke spaces points this far apart: a stroke's last point must stay inside the round. */
const POINT_SPACING_MS = 16;

function readSettings(): Settings {
  const defaults = { players: 200, "room-size": 10, rate: 10, points: 30, seconds: 30, slices: 3, warmup: 3, servers: 1 };
  const { values } = parseArgs({
    options: Object.fromEntries(Object.entries(defaults).map(([k, v]) => [k, { type: "string", default: String(v) }])),
  });
  const num = (name: keyof typeof defaults) => {
    const n = Number(values[name]);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
    return n;
  };
  const s = {
    players: num("players"),
    roomSize: num("room-size"),
    rate: num("rate"),
    points: num("points"),
    seconds: num("seconds"),
    slices: num("slices"),
    warmup: num("warmup"),
    servers: num("servers"),
  };
  if (s.roomSize < 2 || s.roomSize > MAX_PLAYERS_PER_ROOM) throw new Error(`--room-size must be 2..${MAX_PLAYERS_PER_ROOM}`);
  if (s.points > MAX_POINTS_PER_STROKE) throw new Error(`--points must be at most ${MAX_POINTS_PER_STROKE}`);
  return s;
}

type ServerProcess = { port: number; ask(type: "mark" | "report"): Promise<ServerReport>; stop(): Promise<void> };

async function startServerProcess(target: Target, databaseUrl?: string, redisUrl?: string): Promise<ServerProcess> {
  const script = new URL("./realtime-server.ts", import.meta.url).pathname;
  const args = ["--import", "tsx", script, target, ...(databaseUrl ? [databaseUrl] : [])];
  const env = { ...process.env, ...(redisUrl ? { REDIS_URL: redisUrl } : {}) };
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ["ignore", "inherit", "inherit", "ipc"], env });
  process.once("exit", () => child.kill());
  const next = async (type: ServerMessage["type"]) => {
    for (;;) {
      const [m] = (await Promise.race([
        once(child, "message"),
        once(child, "exit").then(([code]) => Promise.reject(new Error(`${target} server exited (${code})`))),
      ])) as [ServerMessage];
      if (m.type === type) return m;
    }
  };
  const ready = await next("ready");
  return {
    port: (ready as { port: number }).port,
    async ask(type) {
      child.send({ type });
      return (await next(type)) as ServerReport;
    },
    async stop() {
      child.send({ type: "stop" });
      const exited = once(child, "exit");
      const timeout = new Promise((resolve) => setTimeout(resolve, 10_000).unref());
      if ((await Promise.race([exited.then(() => "exited"), timeout])) !== "exited") child.kill();
    },
  };
}

function connect(url: string): Promise<BenchSocket> {
  const socket: BenchSocket = io(url, {
    transports: ["websocket"],
    auth: { protocolVersion: PROTOCOL_VERSION },
    reconnection: false,
    forceNew: true,
  });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

async function ok<T extends object>(what: string, reply: Promise<Ack<T>>): Promise<T> {
  const a = await reply;
  if (!a.ok) throw new Error(`${what}: ${a.error.code} ${a.error.message}`);
  return a;
}

type RoundInfo = Pick<Player, "roundId" | "roundStartedAt">;

const currentRound = (view: RoomView): RoundInfo => ({
  roundId: view.rounds[view.rounds.length - 1]!.id,
  roundStartedAt: view.phaseEndsAt! - view.settings.roundSeconds * 1000,
});

/** Seats one room and returns the round its players draw in. */
async function seatRoom(target: Target, members: BenchSocket[], room: number): Promise<RoundInfo> {
  if (target === "bare") {
    await Promise.all(members.map((s, i) => s.emitWithAck("room:join", { code: `bench-${room}`, nickname: `p${i}` })));
    return { roundId: "bare", roundStartedAt: Date.now() };
  }
  const [host, ...guests] = members as [BenchSocket, ...BenchSocket[]];
  const { code } = await ok("room:create", host.emitWithAck("room:create", { nickname: "p0" }));
  await Promise.all(guests.map((s, i) => ok("room:join", s.emitWithAck("room:join", { code, nickname: `p${i + 1}` }))));
  // As many rounds as allowed: should a slow run outlast a round, players move on to the next.
  await ok("room:settings", host.emitWithAck("room:settings", { rounds: ROUNDS_MAX, roundSeconds: ROUND_SECONDS_MAX }));
  const drawing = new Promise<RoomView>((resolve) => {
    const onState = (view: RoomView) => {
      if (view.phase !== "drawing") return;
      host.off("room:state", onState);
      resolve(view);
    };
    host.on("room:state", onState);
  });
  await ok("game:start", host.emitWithAck("game:start", {}));
  return currentRound(await drawing);
}

async function seatPlayers(target: Target, urls: string[], s: Settings): Promise<Player[]> {
  const sockets = await Promise.all(Array.from({ length: s.players }, (_, i) => connect(urls[i % urls.length]!)));
  const players: Player[] = [];
  for (let first = 0; first < sockets.length; first += s.roomSize) {
    const members = sockets.slice(first, first + s.roomSize);
    if (members.length < 2) throw new Error("the last room would hold one player; pick --players to fit --room-size");
    const round = await seatRoom(target, members, first / s.roomSize);
    members.forEach((socket, i) => {
      const player: Player = {
        index: first + i,
        socket,
        ...round,
        receivers: members.length - 1,
        random: seededRandom(1000 + first + i),
        seq: 0,
      };
      socket.on("room:state", (view) => {
        if (view.phase === "drawing") Object.assign(player, currentRound(view));
      });
      players.push(player);
    });
  }
  return players;
}

type Counts = { sent: number; expected: number; delivered: number };
type Stats = {
  fanout: number[];
  ack: number[];
  measured: Counts;
  /** refused: strokes the server turned down before broadcasting them (not owed to anyone, not stored). */
  total: Counts & { acked: number; refused: number; unknown: number };
  failures: Map<string, number>;
  measuredMs: number;
  /** Server CPU time and the server's own clock over the measured stretches. */
  serverCpuMs: number;
  serverMs: number;
  clientCpuMs: number;
  /** The worst measured slice's event-loop delay p99, and the longest delay seen. */
  loopDelay: ServerReport["loopDelay"];
  stored?: number;
};
type Session = {
  target: Target;
  servers: ServerProcess[];
  redis: TestRedis | null;
  players: Player[];
  database: TestDatabase | null;
  /** Strokes sent while this is set are the measured ones. */
  measuring: boolean;
  /** Strokes on their way, by id, with how many players have yet to receive them. */
  inflight: Map<string, { sentAt: number; remaining: number; measured: boolean }>;
  stats: Stats;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const until = async (check: () => boolean, timeoutMs: number) => {
  const deadline = performance.now() + timeoutMs;
  while (!check() && performance.now() < deadline) await sleep(50);
};
const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

async function openSession(target: Target, s: Settings): Promise<Session> {
  const database = target === "game" ? await createTestDatabase() : null;
  const redis = s.servers > 1 ? await startTestRedis() : null;
  const servers: ServerProcess[] = [];
  for (let i = 0; i < s.servers; i++) servers.push(await startServerProcess(target, database?.url, redis?.url));
  const players = await seatPlayers(target, servers.map((server) => `http://127.0.0.1:${server.port}`), s);
  const stats: Stats = {
    fanout: [],
    ack: [],
    measured: { sent: 0, expected: 0, delivered: 0 },
    total: { sent: 0, expected: 0, delivered: 0, acked: 0, refused: 0, unknown: 0 },
    failures: new Map(),
    measuredMs: 0,
    serverCpuMs: 0,
    serverMs: 0,
    clientCpuMs: 0,
    loopDelay: { p99: 0, max: 0 },
  };
  const session: Session = { target, servers, redis, players, database, measuring: false, inflight: new Map(), stats };
  for (const p of players) {
    p.socket.on("stroke:added", ({ stroke }) => {
      const at = performance.now();
      const sent = session.inflight.get(stroke.id);
      if (!sent) return void stats.total.unknown++;
      stats.total.delivered++;
      if (sent.measured) {
        stats.measured.delivered++;
        stats.fanout.push(at - sent.sentAt);
      }
      if (--sent.remaining === 0) session.inflight.delete(stroke.id);
    });
    p.socket.on("error", (e) => fail(stats, `error event ${e.event}: ${e.code}`));
    p.socket.on("disconnect", (reason) => {
      if (reason !== "io client disconnect") fail(stats, `disconnect: ${reason}`);
    });
  }
  console.log(`${target}: ${players.length} players seated`);
  return session;
}

const fail = (stats: Stats, what: string) => stats.failures.set(what, (stats.failures.get(what) ?? 0) + 1);

/**
 * Every player sends at the set rate until the returned stop is called. Sends are scheduled on
 * absolute times and catch up after a stall of this process, so both servers get the same load.
 */
function startSending(session: Session, s: Settings): () => void {
  const { stats } = session;
  const periodMs = 1000 / s.rate;
  const timers = new Map<Player, NodeJS.Timeout>();
  // Strokes sent between rounds still belong to the round just ended: keep their times inside it.
  const lastStartMs = ROUND_SECONDS_MAX * 1000 - s.points * POINT_SPACING_MS;
  const send = (p: Player) => {
    const id = `p${String(p.index).padStart(4, "0")}s${String(p.seq++).padStart(6, "0")}`;
    const stroke = makeStroke(id, s.points, p.random, Math.min(lastStartMs, Math.max(0, Date.now() - p.roundStartedAt)));
    const sentAt = performance.now();
    const measured = session.measuring;
    session.inflight.set(id, { sentAt, remaining: p.receivers, measured });
    stats.total.sent++;
    stats.total.expected += p.receivers;
    if (measured) {
      stats.measured.sent++;
      stats.measured.expected += p.receivers;
    }
    p.socket.emit("stroke:add", { roundId: p.roundId, stroke }, (a) => {
      stats.total.acked++;
      if (a.ok) {
        if (measured) stats.ack.push(performance.now() - sentAt);
        return;
      }
      fail(stats, `stroke:add ack: ${a.error.code}`);
      // Anything but a failed save is refused before the broadcast: no one is owed this stroke.
      const owed = session.inflight.get(id);
      if (a.error.code === "storage_unavailable" || !owed) return;
      session.inflight.delete(id);
      stats.total.refused++;
      stats.total.expected -= owed.remaining;
      if (measured) stats.measured.expected -= owed.remaining;
    });
    if (p.seq % CLEAR_EVERY === 0) {
      p.socket.emit("drawing:clear", { roundId: p.roundId }, (a) => {
        if (!a.ok) fail(stats, `drawing:clear ack: ${a.error.code}`);
      });
    }
  };
  const start = performance.now();
  for (const p of session.players) {
    // Staggered, so the players' sends spread over each period instead of arriving together.
    let due = start + p.random() * periodMs;
    const tick = () => {
      // After a stall of this process, catch up at most a second's worth of sends rather than
      // burst into the server's rate limit; the rest are skipped and show in the sent rate.
      due = Math.max(due, performance.now() - 1000);
      for (; due <= performance.now(); due += periodMs) send(p);
      timers.set(p, setTimeout(tick, due - performance.now()));
    };
    timers.set(p, setTimeout(tick, due - start));
  }
  return () => timers.forEach((t) => clearTimeout(t));
}

/** One slice: warm-up, a measured stretch, then a wait for deliveries and acks still in flight. */
async function runSlice(session: Session, s: Settings, measureMs: number): Promise<void> {
  const { stats, servers } = session;
  const stop = startSending(session, s);
  await sleep(s.warmup * 1000);
  const serverMarks = await Promise.all(servers.map((server) => server.ask("mark")));
  const clientMark = process.cpuUsage();
  const markedAt = performance.now();
  session.measuring = true;
  await sleep(measureMs);
  session.measuring = false;
  stop();
  stats.clientCpuMs += cpuMs(process.cpuUsage(clientMark));
  stats.measuredMs += performance.now() - markedAt;
  const serverEnds = await Promise.all(servers.map((server) => server.ask("report")));
  // CPU is reported per server: the servers' CPU time over their clocks' time, summed then averaged.
  serverEnds.forEach((end, i) => {
    stats.serverCpuMs += cpuMs(end.cpu) - cpuMs(serverMarks[i]!.cpu);
    stats.serverMs += end.at - serverMarks[i]!.at;
    stats.loopDelay = {
      p99: Math.max(stats.loopDelay.p99, end.loopDelay.p99),
      max: Math.max(stats.loopDelay.max, end.loopDelay.max),
    };
  });
  const { total } = stats;
  await until(() => total.delivered + total.unknown >= total.expected && total.acked >= total.sent, DRAIN_MS);
}

async function closeSession(session: Session): Promise<void> {
  for (const p of session.players) p.socket.disconnect();
  try {
    if (session.database) {
      const client = new pg.Client({ connectionString: session.database.url });
      await client.connect();
      session.stats.stored = (await client.query<{ n: number }>("SELECT count(*)::int AS n FROM strokes")).rows[0]!.n;
      await client.end();
    }
  } finally {
    for (const server of session.servers) await server.stop();
    await session.redis?.stop();
    await session.database?.drop();
  }
}

const f = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(2) : "-");
const pct = (x: number) => `${(x * 100).toFixed(0)}%`;

type Latencies = { fanout: Summary; ack: Summary };
const latencies = (r: Stats): Latencies => ({ fanout: summarize(r.fanout), ack: summarize(r.ack) });

function printResult(target: Target, r: Stats, { fanout, ack }: Latencies, s: Settings): void {
  const seconds = r.measuredMs / 1000;
  console.log(
    `${target}: fan-out p50 ${f(fanout.p50)} p95 ${f(fanout.p95)} p99 ${f(fanout.p99)} max ${f(fanout.max)} ms ` +
      `(${fanout.count} deliveries); ack p50 ${f(ack.p50)} p99 ${f(ack.p99)} ms; ` +
      `sent ${(r.measured.sent / seconds).toFixed(0)}/s of ${s.players * s.rate}/s asked; ` +
      `server CPU ${pct(r.serverCpuMs / r.serverMs)}, event-loop delay p99 (worst slice) ${f(r.loopDelay.p99)} max ${f(r.loopDelay.max)} ms; ` +
      `load generator CPU ${pct(r.clientCpuMs / r.measuredMs)}`,
  );
  console.log(
    `${target}: delivered ${r.total.delivered}/${r.total.expected} (measured ${r.measured.delivered}/${r.measured.expected}), ` +
      `acked ${r.total.acked}/${r.total.sent}` +
      (r.total.refused ? `, ${r.total.refused} refused` : "") +
      (r.stored === undefined ? "" : `, strokes stored ${r.stored}/${r.total.sent - r.total.refused} accepted`) +
      (r.total.unknown ? `, ${r.total.unknown} unexpected deliveries` : ""),
  );
  for (const [what, n] of r.failures) console.log(`${target}: ${n} x ${what}`);
}

function printSummary(s: Settings, [bare, b]: [Stats, Latencies], [game, g]: [Stats, Latencies], loadBefore: number[]): void {
  const p50 = g.fanout.p50 / b.fanout.p50;
  const p99 = g.fanout.p99 / b.fanout.p99;
  const row = (name: string, r: Stats, { fanout, ack }: Latencies) =>
    `| ${name} | ${f(fanout.p50)} | ${f(fanout.p95)} | ${f(fanout.p99)} | ${f(fanout.max)} | ` +
    `${r.measured.delivered}/${r.measured.expected} | ${(r.measured.sent / (r.measuredMs / 1000)).toFixed(0)} | ` +
    `${f(ack.p50)} / ${f(ack.p99)} | ${pct(r.serverCpuMs / r.serverMs)} | ${f(r.loopDelay.p99)} / ${f(r.loopDelay.max)} | ` +
    `${r.stored === undefined ? "-" : `${r.stored}/${r.total.sent - r.total.refused}`} |`;
  const args = process.argv.slice(2).join(" ");
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(" ");
  console.log(
    [
      "",
      `### Realtime fan-out: ${s.players} players in rooms of ${s.roomSize}, each sending a ${s.points}-point stroke ${s.rate} times a second` +
        (s.servers > 1 ? `, across ${s.servers} server processes sharing rooms through Redis` : ""),
      "",
      `Command: \`nice -n 5 npx tsx bench/realtime.ts${args ? ` ${args}` : ""}\` ` +
        `(${s.seconds} s measured per server in ${s.slices} alternating slices, each after ${s.warmup} s of unmeasured warm-up)`,
      `Machine: ${cpus().length} CPUs, Node ${process.version}; load average (1/5/15 min) ${load(loadBefore)} before, ` +
        `${load(loadavg())} after (shared with other work)`,
      "",
      "| server | p50 ms | p95 ms | p99 ms | max ms | delivered/expected | strokes/s sent | ack p50 / p99 ms | CPU per server (of one core) | server event-loop delay p99 / max ms | strokes stored/accepted |",
      "|---|---|---|---|---|---|---|---|---|---|---|",
      row("bare socket.io", bare, b),
      row("game server", game, g),
      "",
      `Ratio game/bare: p50 ${p50.toFixed(2)}, p99 ${p99.toFixed(2)} (goal <= 1.5: ${p50 <= 1.5 && p99 <= 1.5 ? "met" : "not met"})`,
    ].join("\n"),
  );
}

const settings = readSettings();
const loadBefore = loadavg();
const bare = await openSession("bare", settings);
const game = await openSession("game", settings);
try {
  const measureMs = (settings.seconds * 1000) / settings.slices;
  for (let i = 0; i < settings.slices; i++) {
    const order = i % 2 === 0 ? [bare, game] : [game, bare];
    for (const session of order) {
      await runSlice(session, settings, measureMs);
      console.log(`${session.target}: slice ${i + 1}/${settings.slices} done`);
    }
  }
} finally {
  await closeSession(bare);
  await closeSession(game);
}
const [bareLatencies, gameLatencies] = [latencies(bare.stats), latencies(game.stats)];
printResult("bare", bare.stats, bareLatencies, settings);
printResult("game", game.stats, gameLatencies, settings);
printSummary(settings, [bare.stats, bareLatencies], [game.stats, gameLatencies], loadBefore);
process.exit(0);
