// Realtime fan-out: simulated players in rooms draw; we time how long each finished stroke
// (stroke:add -> stroke:added) and each batch of live points (ink:live) takes to reach every other
// player in its room, against a bare socket.io broadcast server (the floor: the same events, passed
// on to the room, nothing else) and the game server (schema checks, rules, Postgres) under the same
// load. The ratio game/bare is the figure the issue asks for (<= 1.5).
// Each server runs in a child process (bench/realtime-server.ts); all players live here, so send
// and receive times come from one clock. The machine is shared, so the two servers take turns in
// short slices (bare, game, game, bare, ...): a change in background load hits both.
// On a machine with 2+ CPUs this process pins itself to CPU 0 and the servers to CPU 1 (taskset),
// so the load generator's own CPU never slows the server being measured; where it may, it also
// moves the local PostgreSQL's processes to CPU 0 for the run (pinDatabase), and says so.
//
//   nice -n 5 npx tsx bench/realtime.ts [--pattern steady|human] [--live] [--players 200]
//       [--room-size 10] [--rate 10] [--points 30] [--seconds 30] [--slices 3] [--warmup 3]
//       [--servers 1] [--no-pin]
// --pattern steady: every player sends a --points stroke --rate times a second, pen always down;
//   with --live, the stroke's points also go out as live batches every LIVE_BATCH_MS meanwhile.
// --pattern human: people drawing: strokes of 1-3 s with a point every 16 ms, the pen down about
//   60 % of the time, live batches every LIVE_BATCH_MS while it is down, the stroke on pen up.
// --servers N > 1 runs N processes of each kind sharing rooms through a private Redis (one per
// kind); each room's players are spread over the servers, as a load balancer would.
// --seconds is the measured time per server, split into --slices; each slice starts with
// --warmup seconds of unmeasured load.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import type { Socket as NetSocket } from "node:net";
import { cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import pg from "pg";
import { io, type Socket } from "socket.io-client";
import {
  LIVE_BATCH_MS,
  MAX_PLAYERS_PER_ROOM,
  MAX_POINTS_PER_STROKE,
  MAX_STROKES_PER_DRAWING,
  PROTOCOL_VERSION,
  ROUNDS_MAX,
  ROUND_SECONDS_MAX,
  type Ack,
  type ClientToServerEvents,
  type LiveInk,
  type Point,
  type RoomView,
  type ServerToClientEvents,
  type Stroke,
} from "../protocol";
import { seededRandom, type Random } from "../common/random";
import { makeStroke } from "../tests/helpers/game-client";
import { createTestDatabase, type TestDatabase } from "../tests/helpers/test-database";
import { startTestRedis, type TestRedis } from "../tests/helpers/redis-server";
import { summarize, type Summary } from "./lib/percentiles";
import type { ServerMessage, ServerReport } from "./realtime-server";

type Pattern = "steady" | "human";
type Settings = {
  pattern: Pattern;
  live: boolean;
  players: number;
  roomSize: number;
  rate: number;
  points: number;
  seconds: number;
  slices: number;
  warmup: number;
  servers: number;
  pin: boolean;
};
type Target = "bare" | "game";
type BenchSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
/** The stroke a player is drawing: its points go out live as their time comes, the whole on pen up. */
type Pen = { stroke: Stroke; downAt: number; upAt: number; sentLive: number };
type Player = {
  index: number;
  socket: BenchSocket;
  /** The TCP connection under the socket: its byte counts are what crossed the wire, framing included. */
  wire: NetSocket;
  roundId: string;
  /** Epoch ms; strokes' times count from here. */
  roundStartedAt: number;
  receivers: number;
  random: Random;
  seq: number;
  pen: Pen | null;
  /** Between rounds nobody draws live: the game drops such batches by design, so none are sent. */
  inRound: boolean;
  /** Live batches received, by stroke id, until the finished stroke arrives. */
  liveGot: Map<string, number>;
};

/** Players clear their canvas now and then, as real ones do: a doodle holds at most 300 strokes. */
const CLEAR_EVERY = MAX_STROKES_PER_DRAWING / 2;
/** How long to wait after the last send for deliveries and acks still in flight. */
const DRAIN_MS = 10_000;
/** Pointer events come about every 16 ms (60 Hz); makeStroke spaces points the same. */
const POINT_SPACING_MS = 16;
/** The human pattern: strokes last 1-3 s and the pen rests half as long, so it is down ~60 % of the time. */
const HUMAN_STROKE_MS = [1000, 3000] as const;
const HUMAN_REST_RATIO = 0.4 / 0.6;
const PINNED = { generator: "0", servers: "1" };

function readSettings(): Settings {
  const defaults = { players: 200, "room-size": 10, rate: 10, points: 30, seconds: 30, slices: 3, warmup: 3, servers: 1 };
  const { values } = parseArgs({
    options: {
      ...(Object.fromEntries(Object.entries(defaults).map(([k, v]) => [k, { type: "string", default: String(v) }])) as Record<
        keyof typeof defaults,
        { type: "string"; default: string }
      >),
      pattern: { type: "string", default: "steady" },
      live: { type: "boolean", default: false },
      "no-pin": { type: "boolean", default: false },
    },
  });
  const num = (name: keyof typeof defaults) => {
    const n = Number(values[name]);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
    return n;
  };
  const pattern = values.pattern;
  if (pattern !== "steady" && pattern !== "human") throw new Error("--pattern must be steady or human");
  const s: Settings = {
    pattern,
    // People drawing send live ink; only the steady stress pattern can leave it out.
    live: pattern === "human" || values.live === true,
    players: num("players"),
    roomSize: num("room-size"),
    rate: num("rate"),
    points: num("points"),
    seconds: num("seconds"),
    slices: num("slices"),
    warmup: num("warmup"),
    servers: num("servers"),
    pin: values["no-pin"] !== true && cpus().length >= 2,
  };
  if (s.roomSize < 2 || s.roomSize > MAX_PLAYERS_PER_ROOM) throw new Error(`--room-size must be 2..${MAX_PLAYERS_PER_ROOM}`);
  if (s.points > MAX_POINTS_PER_STROKE) throw new Error(`--points must be at most ${MAX_POINTS_PER_STROKE}`);
  return s;
}

/** Every thread of this process onto one CPU; children started later choose their own. */
function pinSelf(cpu: string): void {
  const r = spawnSync("taskset", ["-a", "-c", "-p", cpu, String(process.pid)], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`taskset could not pin the load generator: ${r.stderr || r.error}`);
}

/**
 * The local PostgreSQL's processes onto the load generator's CPU for the run (new backends inherit
 * the postmaster's), so its commits stop preempting the pinned game server: the ratio then measures
 * the server, and the database's work shows as load generator delay in the game's slices, which
 * counts against the game. Returns a function that restores their CPUs, or null when they can't be
 * moved (not running here, or not ours to move).
 */
function pinDatabase(cpu: string): (() => void) | null {
  const pids = spawnSync("pgrep", ["-x", "postgres"], { encoding: "utf8" }).stdout.split("\n").filter(Boolean);
  const masks = new Map<string, string>();
  for (const pid of pids) {
    const mask = /affinity mask: ([0-9a-f]+)/.exec(spawnSync("taskset", ["-p", pid], { encoding: "utf8" }).stdout)?.[1];
    if (!mask || spawnSync("taskset", ["-a", "-c", "-p", cpu, pid]).status !== 0) break;
    masks.set(pid, mask);
  }
  const restore = () => masks.forEach((mask, pid) => spawnSync("taskset", ["-a", "-p", mask, pid]));
  if (pids.length === 0 || masks.size < pids.length) {
    restore();
    return null;
  }
  return restore;
}

type ServerProcess = { port: number; ask(type: "mark" | "report"): Promise<ServerReport>; stop(): Promise<void> };

async function startServerProcess(target: Target, s: Settings, databaseUrl?: string, redisUrl?: string): Promise<ServerProcess> {
  const script = new URL("./realtime-server.ts", import.meta.url).pathname;
  // BENCH_SERVER_NODE_ARGS: e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the servers.
  const extra = process.env.BENCH_SERVER_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  // --expose-gc: the servers collect garbage before reporting their memory.
  const node = [process.execPath, "--expose-gc", ...extra, "--import", "tsx", script, target, ...(databaseUrl ? [databaseUrl] : [])];
  const [command, ...args] = s.pin ? ["taskset", "-c", PINNED.servers, ...node] : node;
  const env = { ...process.env, ...(redisUrl ? { REDIS_URL: redisUrl } : {}) };
  const child: ChildProcess = spawn(command!, args, { stdio: ["ignore", "inherit", "inherit", "ipc"], env });
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

/** engine.io-client's websocket transport keeps the `ws` WebSocket, which keeps the TCP socket. */
function wireOf(socket: BenchSocket): NetSocket {
  const wire = (socket.io.engine.transport as unknown as { ws?: { _socket?: NetSocket } }).ws?._socket;
  if (!wire || typeof wire.bytesRead !== "number") throw new Error("could not reach the socket's TCP connection to count bytes");
  return wire;
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
        wire: wireOf(socket),
        ...round,
        receivers: members.length - 1,
        random: seededRandom(1000 + first + i),
        seq: 0,
        pen: null,
        inRound: true,
        liveGot: new Map(),
      };
      socket.on("room:state", (view) => {
        player.inRound = view.phase === "drawing";
        if (player.inRound) Object.assign(player, currentRound(view));
      });
      players.push(player);
    });
  }
  return players;
}

type Counts = { sent: number; expected: number; delivered: number };
/** One kind of message timed from send to each room-mate's receipt: finished strokes or live batches. */
type Flow = { fanout: number[]; measured: Counts; total: Counts };
type Stats = {
  strokes: Flow;
  live: Flow;
  ack: number[];
  /** refused: strokes the server turned down before broadcasting them (not owed to anyone, not stored). */
  refused: number;
  /**
   * Live batches a player never got because the finished stroke reached it first: the game leaves
   * out batches of strokes finished in the same turn of its event loop (the stroke replaces them).
   */
  superseded: number;
  acked: number;
  unknown: number;
  failures: Map<string, number>;
  measuredMs: number;
  /** Seconds players had the pen down over the measured stretches, summed over players. */
  penDownMs: number;
  /** Bytes over every player's TCP connection over the measured stretches: sent by players, and received. */
  wire: { up: number; down: number };
  /** Server CPU time and the server's own clock over the measured stretches. */
  serverCpuMs: number;
  serverMs: number;
  clientCpuMs: number;
  /** The worst measured slice's event-loop delay p99, and the longest delay seen. */
  loopDelay: ServerReport["loopDelay"];
  /** The servers' resident memory before any player connected, and the most seen at a measured stretch's end. */
  rss: { idle: number; loaded: number };
  stored?: number;
};
type Session = {
  target: Target;
  servers: ServerProcess[];
  redis: TestRedis | null;
  players: Player[];
  database: TestDatabase | null;
  /** Messages sent while this is set are the measured ones. */
  measuring: boolean;
  /** Strokes (by id) and live batches (id@from) on their way, with how many players have yet to receive them. */
  inflight: Map<string, { sentAt: number; remaining: number; measured: boolean; flow: Flow }>;
  /** Each stroke's live batches' keys in the order sent, until every room-mate has the finished stroke. */
  liveKeys: Map<string, string[]>;
  stats: Stats;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const until = async (check: () => boolean, timeoutMs: number) => {
  const deadline = performance.now() + timeoutMs;
  while (!check() && performance.now() < deadline) await sleep(50);
};
const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
const newFlow = (): Flow => ({
  fanout: [],
  measured: { sent: 0, expected: 0, delivered: 0 },
  total: { sent: 0, expected: 0, delivered: 0 },
});
const liveKey = (strokeId: string, from: number) => `${strokeId}@${from}`;
/** A player's stroke ids start with this. */
const strokePrefix = (p: Player) => `p${String(p.index).padStart(4, "0")}s`;

async function openSession(target: Target, s: Settings): Promise<Session> {
  const database = target === "game" ? await createTestDatabase() : null;
  const redis = s.servers > 1 ? await startTestRedis() : null;
  const servers: ServerProcess[] = [];
  for (let i = 0; i < s.servers; i++) servers.push(await startServerProcess(target, s, database?.url, redis?.url));
  const idle = await Promise.all(servers.map((server) => server.ask("mark")));
  const players = await seatPlayers(target, servers.map((server) => `http://127.0.0.1:${server.port}`), s);
  const stats: Stats = {
    strokes: newFlow(),
    live: newFlow(),
    ack: [],
    refused: 0,
    superseded: 0,
    acked: 0,
    unknown: 0,
    failures: new Map(),
    measuredMs: 0,
    penDownMs: 0,
    wire: { up: 0, down: 0 },
    serverCpuMs: 0,
    serverMs: 0,
    clientCpuMs: 0,
    loopDelay: { p99: 0, max: 0 },
    rss: { idle: idle.reduce((sum, r) => sum + r.rss, 0), loaded: 0 },
  };
  const session: Session = { target, servers, redis, players, database, measuring: false, inflight: new Map(), liveKeys: new Map(), stats };
  const arrived = (key: string) => {
    const at = performance.now();
    const sent = session.inflight.get(key);
    if (!sent) return void stats.unknown++;
    sent.flow.total.delivered++;
    if (sent.measured) {
      sent.flow.measured.delivered++;
      sent.flow.fanout.push(at - sent.sentAt);
    }
    if (--sent.remaining === 0) session.inflight.delete(key);
  };
  const superseded = (key: string) => {
    const sent = session.inflight.get(key);
    if (!sent) return;
    stats.superseded++;
    sent.flow.total.expected--;
    if (sent.measured) sent.flow.measured.expected--;
    if (--sent.remaining === 0) session.inflight.delete(key);
  };
  for (const p of players) {
    p.socket.on("stroke:added", ({ stroke }) => {
      // Batches are passed on in order, so this player got the first `got` of them; the rest are
      // replaced by the stroke.
      const keys = session.liveKeys.get(stroke.id) ?? [];
      for (const key of keys.slice(p.liveGot.get(stroke.id) ?? 0)) superseded(key);
      p.liveGot.delete(stroke.id);
      arrived(stroke.id);
      if (!session.inflight.has(stroke.id)) session.liveKeys.delete(stroke.id);
    });
    // A message holds every drawer's batches of one turn and goes to the whole room: skip your own, as pages do.
    const own = strokePrefix(p);
    p.socket.on("ink:live", (batches: LiveInk[]) => {
      for (const [, strokeId, from] of batches) {
        if (strokeId.startsWith(own)) continue;
        p.liveGot.set(strokeId, (p.liveGot.get(strokeId) ?? 0) + 1);
        arrived(liveKey(strokeId, from));
      }
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

/** A path a hand could draw: each point a small step from the last (random points would inflate the bytes). */
function handStroke(id: string, n: number, random: Random, t0: number): Stroke {
  const points: Point[] = [];
  let x = Math.floor(random() * 256), y = Math.floor(random() * 256);
  const step = () => Math.floor(random() * 9) - 4;
  for (let i = 0; i < n; i++) {
    x = Math.min(255, Math.max(0, x + step()));
    y = Math.min(255, Math.max(0, y + step()));
    points.push([x, y, t0 + i * POINT_SPACING_MS]);
  }
  return { id, points };
}

/**
 * Every player draws until the returned stop is called: pen down, live batches while it is down
 * (with --live), the finished stroke on pen up, then (human pattern) a rest. Times are absolute and
 * catch up after a stall of this process, so both servers get the same load.
 */
function startDrawing(session: Session, s: Settings): () => void {
  const { stats } = session;
  const timers = new Map<Player, NodeJS.Timeout>();
  let stopped = false;
  const expect = (flow: Flow, key: string, p: Player, sentAt: number) => {
    const measured = session.measuring;
    session.inflight.set(key, { sentAt, remaining: p.receivers, measured, flow });
    flow.total.sent++;
    flow.total.expected += p.receivers;
    if (measured) {
      flow.measured.sent++;
      flow.measured.expected += p.receivers;
    }
    return measured;
  };
  const penDown = (p: Player, at: number) => {
    const id = `${strokePrefix(p)}${String(p.seq++).padStart(6, "0")}`;
    const durationMs =
      s.pattern === "steady" ? 1000 / s.rate : HUMAN_STROKE_MS[0] + p.random() * (HUMAN_STROKE_MS[1] - HUMAN_STROKE_MS[0]);
    const points = s.pattern === "steady" ? s.points : Math.min(MAX_POINTS_PER_STROKE, Math.floor(durationMs / POINT_SPACING_MS) + 1);
    // Strokes drawn between rounds still belong to the round just ended: keep their times inside it.
    const t0 = Math.min(ROUND_SECONDS_MAX * 1000 - points * POINT_SPACING_MS, Math.max(0, Date.now() - p.roundStartedAt));
    const stroke = (s.pattern === "steady" ? makeStroke : handStroke)(id, points, p.random, t0);
    p.pen = { stroke, downAt: at, upAt: at + durationMs, sentLive: 0 };
  };
  /** The points drawn by `at` that have not gone out live yet, as one batch. */
  const sendLive = (p: Player, pen: Pen, at: number) => {
    const { points } = pen.stroke;
    const drawn = Math.min(points.length, Math.ceil(((at - pen.downAt) / (pen.upAt - pen.downAt)) * points.length));
    if (drawn <= pen.sentLive || !p.inRound) return;
    const from = pen.sentLive;
    const flat = points.slice(from, drawn).flat();
    pen.sentLive = drawn;
    const key = liveKey(pen.stroke.id, from);
    expect(stats.live, key, p, performance.now());
    session.liveKeys.set(pen.stroke.id, [...(session.liveKeys.get(pen.stroke.id) ?? []), key]);
    p.socket.emit("ink:live", [pen.stroke.id, from, flat]);
  };
  const penUp = (p: Player, pen: Pen) => {
    p.pen = null;
    const { stroke } = pen;
    const sentAt = performance.now();
    const measured = expect(stats.strokes, stroke.id, p, sentAt);
    if (session.measuring) stats.penDownMs += pen.upAt - pen.downAt;
    p.socket.emit("stroke:add", { roundId: p.roundId, stroke }, (a) => {
      stats.acked++;
      if (a.ok) {
        if (measured) stats.ack.push(performance.now() - sentAt);
        return;
      }
      fail(stats, `stroke:add ack: ${a.error.code}`);
      // Anything but a failed save is refused before the broadcast: no one is owed this stroke.
      const owed = session.inflight.get(stroke.id);
      if (a.error.code === "storage_unavailable" || !owed) return;
      session.inflight.delete(stroke.id);
      stats.refused++;
      stats.strokes.total.expected -= owed.remaining;
      if (measured) stats.strokes.measured.expected -= owed.remaining;
    });
    if (p.seq % CLEAR_EVERY === 0) {
      p.socket.emit("drawing:clear", { roundId: p.roundId }, (a) => {
        if (!a.ok) fail(stats, `drawing:clear ack: ${a.error.code}`);
      });
    }
  };
  /** Does what is due at `due` and says when the player's next step is. */
  const step = (p: Player, due: number): number => {
    const pen = p.pen;
    if (!pen) {
      penDown(p, due);
      return s.live ? due + LIVE_BATCH_MS : p.pen!.upAt;
    }
    if (due < pen.upAt) {
      sendLive(p, pen, due);
      return Math.min(due + LIVE_BATCH_MS, pen.upAt);
    }
    penUp(p, pen);
    const rest = s.pattern === "human" ? (pen.upAt - pen.downAt) * HUMAN_REST_RATIO * 2 * p.random() : 0;
    return pen.upAt + rest;
  };
  const start = performance.now();
  for (const p of session.players) {
    // Staggered, so the players' sends spread out instead of arriving together.
    let due = start + p.random() * (s.pattern === "steady" ? 1000 / s.rate : HUMAN_STROKE_MS[1]);
    const tick = () => {
      if (stopped) return;
      // After a stall of this process, catch up at most a second's worth of drawing rather than
      // burst into the server's rate limit; the rest is skipped and shows in the sent rate.
      if (due < performance.now() - 1000) {
        p.pen = null;
        due = performance.now();
      }
      while (due <= performance.now()) due = step(p, due);
      timers.set(p, setTimeout(tick, due - performance.now()));
    };
    timers.set(p, setTimeout(tick, due - start));
  }
  return () => {
    stopped = true;
    timers.forEach((t) => clearTimeout(t));
    // Strokes left half drawn are finished, as a player lifting the pen would.
    for (const p of session.players) if (p.pen) penUp(p, p.pen);
  };
}

const wireBytes = (players: Player[]) =>
  players.reduce((sum, p) => ({ up: sum.up + p.wire.bytesWritten, down: sum.down + p.wire.bytesRead }), { up: 0, down: 0 });

/**
 * Waits, if need be, for rounds that outlast the slice: every room of the bench started together,
 * so their rounds end together, and twenty rooms' round ends at once (scores, dance plans, the
 * dance codes' worker on the same pinned CPU) are another load than steady drawing, one real rooms
 * spread out over time. The slices measure drawing; the bare server has no rounds.
 */
async function roundLongEnough(session: Session, sliceMs: number): Promise<void> {
  if (session.target === "bare") return;
  const endsIn = () => Math.min(...session.players.map((p) => (p.inRound ? p.roundStartedAt + ROUND_SECONDS_MAX * 1000 - Date.now() : 0)));
  if (endsIn() > sliceMs + DRAIN_MS) return;
  console.log(`game: the rounds end within the slice; waiting for the next ones (${Math.max(0, endsIn() / 1000).toFixed(0)} s + the gallery)`);
  const ended = performance.now() + endsIn();
  await until(() => performance.now() > ended && endsIn() > sliceMs + DRAIN_MS, ROUND_SECONDS_MAX * 1000);
}

/** One slice: warm-up, a measured stretch, then a wait for deliveries and acks still in flight. */
async function runSlice(session: Session, s: Settings, measureMs: number): Promise<void> {
  const { stats, servers } = session;
  await roundLongEnough(session, s.warmup * 1000 + measureMs);
  const stop = startDrawing(session, s);
  await sleep(s.warmup * 1000);
  const serverMarks = await Promise.all(servers.map((server) => server.ask("mark")));
  const clientMark = process.cpuUsage();
  const wireMark = wireBytes(session.players);
  const markedAt = performance.now();
  session.measuring = true;
  await sleep(measureMs);
  session.measuring = false;
  const wireEnd = wireBytes(session.players);
  stop();
  stats.wire.up += wireEnd.up - wireMark.up;
  stats.wire.down += wireEnd.down - wireMark.down;
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
  stats.rss.loaded = Math.max(stats.rss.loaded, serverEnds.reduce((sum, r) => sum + r.rss, 0));
  const owed = () => stats.strokes.total.expected + stats.live.total.expected;
  const got = () => stats.strokes.total.delivered + stats.live.total.delivered + stats.unknown;
  await until(() => got() >= owed() && stats.acked >= stats.strokes.total.sent, DRAIN_MS);
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
const thousands = (n: number) => Math.round(n).toLocaleString("en");

type Latencies = { strokes: Summary; live: Summary; ack: Summary };
const latencies = (r: Stats): Latencies => ({ strokes: summarize(r.strokes.fanout), live: summarize(r.live.fanout), ack: summarize(r.ack) });

/** Derived per-run figures: rates, bytes and costs. */
function figures(r: Stats, s: Settings) {
  const seconds = r.measuredMs / 1000;
  const deliveries = r.strokes.measured.delivered + r.live.measured.delivered;
  return {
    strokesPerSecond: r.strokes.measured.sent / seconds,
    livePerSecond: r.live.measured.sent / seconds,
    deliveriesPerSecond: deliveries / seconds,
    cpu: r.serverCpuMs / r.serverMs,
    /** Server CPU µs per message delivered to a player. */
    cpuPerDeliveryUs: deliveries ? (r.serverCpuMs * 1000) / deliveries : NaN,
    /** Bytes per player per second, each way. */
    upPerPlayer: r.wire.up / s.players / seconds,
    downPerPlayer: r.wire.down / s.players / seconds,
    /** Both directions, all players, per second one player had the pen down. */
    perDrawingSecond: (r.wire.up + r.wire.down) / (r.penDownMs / 1000),
    /** Of one player's time, how much the pen was down. */
    penDown: r.penDownMs / (s.players * r.measuredMs),
    rssPerPlayerKiB: (r.rss.loaded - r.rss.idle) / s.players / 1024,
  };
}

function printResult(target: Target, r: Stats, l: Latencies, s: Settings): void {
  const x = figures(r, s);
  const flow = (name: string, { fanout, measured }: Flow, sum: Summary) =>
    `${target} ${name}: fan-out p50 ${f(sum.p50)} p95 ${f(sum.p95)} p99 ${f(sum.p99)} max ${f(sum.max)} ms ` +
    `(${fanout.length} deliveries, ${measured.delivered}/${measured.expected})`;
  console.log(flow("strokes", r.strokes, l.strokes));
  if (s.live) console.log(flow("live", r.live, l.live));
  console.log(
    `${target}: ack p50 ${f(l.ack.p50)} p99 ${f(l.ack.p99)} ms; strokes ${x.strokesPerSecond.toFixed(0)}/s, live ${x.livePerSecond.toFixed(0)}/s sent; ` +
      `server CPU ${pct(x.cpu)}, ${x.cpuPerDeliveryUs.toFixed(1)} µs per delivery, event-loop delay p99 (worst slice) ` +
      `${f(r.loopDelay.p99)} max ${f(r.loopDelay.max)} ms, RSS ${(r.rss.idle / 2 ** 20).toFixed(0)} -> ${(r.rss.loaded / 2 ** 20).toFixed(0)} MiB; ` +
      `load generator CPU ${pct(r.clientCpuMs / r.measuredMs)}; wire per player ${thousands(x.upPerPlayer)} B/s up, ${thousands(x.downPerPlayer)} B/s down`,
  );
  console.log(
    `${target}: delivered ${r.strokes.total.delivered + r.live.total.delivered}/${r.strokes.total.expected + r.live.total.expected}, ` +
      `acked ${r.acked}/${r.strokes.total.sent}` +
      (r.refused ? `, ${r.refused} refused` : "") +
      (r.superseded ? `, ${r.superseded} live batches replaced by their finished stroke` : "") +
      (r.stored === undefined ? "" : `, strokes stored ${r.stored}/${r.strokes.total.sent - r.refused} accepted`) +
      (r.unknown ? `, ${r.unknown} unexpected deliveries` : ""),
  );
  for (const [what, n] of r.failures) console.log(`${target}: ${n} x ${what}`);
}

function printSummary(s: Settings, [bare, b]: [Stats, Latencies], [game, g]: [Stats, Latencies], loadBefore: number[]): void {
  const args = process.argv.slice(2).join(" ");
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(" ");
  const row = (name: string, r: Stats, l: Latencies) => {
    const x = figures(r, s);
    const latency = (sum: Summary, flow: Flow) => `${f(sum.p50)} / ${f(sum.p99)} | ${thousands(flow.measured.delivered)}/${thousands(flow.measured.expected)}`;
    return (
      `| ${name} | ${latency(l.strokes, r.strokes)} | ${s.live ? latency(l.live, r.live) : "- | -"} | ` +
      `${x.strokesPerSecond.toFixed(0)} + ${x.livePerSecond.toFixed(0)} | ${f(l.ack.p50)} / ${f(l.ack.p99)} | ` +
      `${pct(x.cpu)} | ${x.cpuPerDeliveryUs.toFixed(1)} | ${f(r.loopDelay.p99)} / ${f(r.loopDelay.max)} | ` +
      `${x.rssPerPlayerKiB.toFixed(0)} | ${thousands(x.upPerPlayer)} / ${thousands(x.downPerPlayer)} | ${thousands(x.perDrawingSecond)} | ` +
      `${r.stored === undefined ? "-" : `${r.stored}/${r.strokes.total.sent - r.refused}`} |`
    );
  };
  const ratio = (what: string, gs: Summary, bs: Summary) => {
    const [p50, p99] = [gs.p50 / bs.p50, gs.p99 / bs.p99];
    return `${what} p50 ${p50.toFixed(2)}, p99 ${p99.toFixed(2)} (goal <= 1.5: ${p50 <= 1.5 && p99 <= 1.5 ? "met" : "not met"})`;
  };
  const pen = figures(game, s).penDown;
  const what =
    s.pattern === "steady"
      ? `each sending a ${s.points}-point stroke ${s.rate} times a second` + (s.live ? `, its points live every ${LIVE_BATCH_MS} ms meanwhile` : "")
      : `drawing at human speed (strokes of 1-3 s, a point every ${POINT_SPACING_MS} ms, pen down ${pct(pen)} of the time, ` +
        `live batches every ${LIVE_BATCH_MS} ms while it is down, the stroke on pen up)`;
  console.log(
    [
      "",
      `### Realtime fan-out: ${s.players} players in rooms of ${s.roomSize}, ${what}` +
        (s.servers > 1 ? `, across ${s.servers} server processes sharing rooms through Redis` : ""),
      "",
      `Command: \`nice -n 5 npx tsx bench/realtime.ts${args ? ` ${args}` : ""}\` ` +
        `(${s.seconds} s measured per server in ${s.slices} alternating slices, each after ${s.warmup} s of unmeasured warm-up)`,
      `Machine: ${cpus().length} CPUs, Node ${process.version}; load average (1/5/15 min) ${load(loadBefore)} before, ` +
        `${load(loadavg())} after (shared with other work)`,
      s.pin
        ? `CPUs: load generator pinned to CPU ${PINNED.generator}, each server process to CPU ${PINNED.servers} (taskset); ` +
          (databasePinned
            ? `PostgreSQL's processes (the game's database) pinned to CPU ${PINNED.generator} with the load generator for the run`
            : `PostgreSQL (the game's), a system service, runs unpinned on either`)
        : "CPUs: nothing pinned: the load generator, servers and PostgreSQL share every CPU",
      "",
      "| server | strokes p50 / p99 ms | strokes delivered | live p50 / p99 ms | live delivered | sent/s strokes + live | ack p50 / p99 ms | " +
        "server CPU (of one core) | CPU µs per delivery | event-loop delay p99 / max ms | RSS KiB per player | " +
        "bytes/s per player up / down | bytes per second of drawing | strokes stored/accepted |",
      "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
      row("bare socket.io", bare, b),
      row("game server", game, g),
      "",
      `Ratio game/bare: ${ratio("strokes", g.strokes, b.strokes)}` + (s.live ? `; ${ratio("live", g.live, b.live)}` : ""),
    ].join("\n"),
  );
}

const settings = readSettings();
if (settings.pin) pinSelf(PINNED.generator);
const unpinDatabase = settings.pin ? pinDatabase(PINNED.generator) : null;
const databasePinned = unpinDatabase !== null;
process.once("exit", () => unpinDatabase?.());
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
