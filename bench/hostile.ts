// The attacks of issue 13, re-run against a real game server (its own process, default limits,
// TRUST_PROXY=1 so each simulated client has its own address) while an honest room in another
// process draws a stroke every 50 ms and times every reply. 127.0.0.1 only, every loop bounded.
//
//   flock /tmp/heavy.lock nice -n 5 npx tsx bench/hostile.ts
//
// Phases: fill (10 attackers draw their doodles to the ink cap), re-join (20 re-joins of a seated
// socket), reload (20 new sockets re-joining with one seat's token), add+clear (storage), export
// (10 parallel exports of the full round). Reports per phase the honest room's replies, the bytes
// the server wrote (/proc/<pid>/io wchar: sockets and Postgres alike), its memory and the refusals.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import pg from "pg";
import { MAX_POINTS_PER_DRAWING, MAX_POINTS_PER_STROKE } from "../protocol";
import { seededRandom } from "../common/random";
import { GameClient, makeStroke } from "../tests/helpers/game-client";
import { createTestDatabase } from "../tests/helpers/test-database";
import type { Summary } from "./lib/percentiles";

const random = seededRandom(13);
const MiB = 1024 * 1024;

function child(script: string, args: string[], execArgv: string[] = []): ChildProcess {
  const c = spawn(process.execPath, [...execArgv, "--import", "tsx", script, ...args], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  process.once("exit", () => c.kill());
  return c;
}
/** Sends `type` (unless empty) and resolves with the child's next message of type `answer`. */
async function ask<T>(c: ChildProcess, type: string, answer = type): Promise<T> {
  const reply = new Promise<T>((resolve) => {
    const on = (m: { type: string }) => {
      if (m.type !== answer) return;
      c.off("message", on);
      resolve(m as T);
    };
    c.on("message", on);
  });
  if (type) c.send({ type });
  return reply;
}

const db = await createTestDatabase();
const server = child("bench/hostile/server.ts", [db.url], ["--expose-gc"]);
const { port } = await ask<{ port: number }>(server, "", "ready");
const url = `http://127.0.0.1:${port}`;
console.error(`server up on ${url}; the honest room starts`);
const honest = child("bench/hostile/honest-room.ts", [url]);
await ask(honest, "", "ready");

const wchar = () => Number(/wchar: (\d+)/.exec(readFileSync(`/proc/${server.pid}/io`, "utf8"))![1]);
const memory = () => ask<{ rss: number; heapUsed: number }>(server, "memory");
const connect = async (address: string) => {
  const c = new GameClient(url, undefined, { "x-forwarded-for": address });
  await c.connected();
  return c;
};
const results: Record<string, unknown> = {};
async function phase(name: string, attack: () => Promise<Record<string, unknown>>): Promise<void> {
  console.error(`${name}...`);
  honest.send({ type: "phase" });
  const bytes0 = wchar();
  const t0 = performance.now();
  const figures = await attack();
  const seconds = (performance.now() - t0) / 1000;
  const { replies, lost } = await ask<{ replies: Summary; lost: number }>(honest, "report");
  results[name] = { ...figures, seconds: +seconds.toFixed(1), serverWroteMB: +((wchar() - bytes0) / 1e6).toFixed(1), honestReplyMs: round(replies), honestLost: lost };
  console.log(name, JSON.stringify(results[name]));
}
const round = (s: Summary) => ({ count: s.count, p50: +s.p50.toFixed(1), p99: +s.p99.toFixed(1), max: +s.max.toFixed(1) });

// ---- fill: a 10-player room, every doodle drawn to the ink cap ----------------------------------
const before = await memory();
const players = await Promise.all(Array.from({ length: 10 }, (_, i) => connect(`10.5.0.${i + 1}`)));
const created = await players[0]!.request("room:create", { nickname: "Filler 0" });
for (let i = 1; i < players.length; i++) await players[i]!.request("room:join", { code: created.code, nickname: `Filler ${i}` });
await players[0]!.request("room:settings", { rounds: 1, roundSeconds: 120 });
await players[0]!.request("game:start", {});
const { id: roundId } = await players[0]!.waitFor("the round", () => players[0]!.state?.phase === "drawing" && players[0]!.state.rounds[0]);
const strokesPerDoodle = MAX_POINTS_PER_DRAWING / MAX_POINTS_PER_STROKE;
await phase("fill", async () => {
  let refused = 0;
  await Promise.all(
    players.map(async (p, i) => {
      for (let s = 0; s <= strokesPerDoodle; s++) {
        const ack = await p.request("stroke:add", { roundId, stroke: makeStroke(`fill-${i}-${s}`, MAX_POINTS_PER_STROKE, random) });
        if (!ack.ok) refused++;
      }
    }),
  );
  return { strokesSent: players.length * (strokesPerDoodle + 1), refusedOverCap: refused };
});
const full = await memory();
const observer = await connect("10.5.1.1");
await observer.request("room:join", { code: created.code, nickname: "Observer" });
await observer.waitFor("the snapshot", () => observer.snapshots.count > 0);
results.memory = {
  rssBeforeMB: +(before.rss / MiB).toFixed(0),
  rssFullRoomMB: +(full.rss / MiB).toFixed(0),
  perFullDrawingMiB: +((full.rss - before.rss) / MiB / players.length).toFixed(2),
  heapPerFullDrawingMiB: +((full.heapUsed - before.heapUsed) / MiB / players.length).toFixed(2),
  snapshotMB: +(observer.snapshots.bytes / 1e6).toFixed(1),
};
console.log("memory", JSON.stringify(results.memory));

// ---- 20 re-joins of a seated socket; 20 reloads with one seat's token -----------------------------
const attacker = players[9]!;
await phase("rejoin-seated", async () => {
  const got0 = attacker.snapshots.bytes;
  for (let i = 0; i < 20; i++) await attacker.request("room:join", { code: created.code, nickname: "Filler 9" });
  return { snapshotBytesReceived: attacker.snapshots.bytes - got0 };
});
const seat = await (await connect("10.5.2.1")).request("room:join", { code: created.code, nickname: "Reloader" });
await phase("reload-new-sockets", async () => {
  let ok = 0, refused = 0, received = 0;
  for (let i = 0; i < 20; i++) {
    const tab = await connect("10.5.2.1");
    const joined = await tab.request("room:join", { code: created.code, nickname: "Reloader", token: seat.token });
    if (joined.ok) ok++;
    else refused++;
    received += tab.snapshots.bytes;
    tab.close();
  }
  return { joined: ok, refused, snapshotMBReceived: +(received / 1e6).toFixed(1) };
});

// ---- add + clear cycles: storage per drawing stays bounded -----------------------------------------
const [scribbler, friend] = await Promise.all([connect("10.6.0.1"), connect("10.6.0.2")]);
const room2 = await scribbler.request("room:create", { nickname: "Scribbler" });
await friend.request("room:join", { code: room2.code, nickname: "Friend" });
await scribbler.request("room:settings", { rounds: 1, roundSeconds: 120 });
await scribbler.request("game:start", {});
const { id: round2 } = await scribbler.waitFor("round 2", () => scribbler.state?.phase === "drawing" && scribbler.state.rounds[0]);
await phase("add-clear", async () => {
  let accepted = 0, refused = 0;
  for (let i = 0; i < 50; i++) {
    const ack = await scribbler.request("stroke:add", { roundId: round2, stroke: makeStroke(`cycle-${i}`, MAX_POINTS_PER_STROKE, random) });
    if (ack.ok) accepted++;
    else refused++;
    await scribbler.request("drawing:clear", { roundId: round2 });
    await new Promise((r) => setTimeout(r, 40)); // within the socket's 30 messages a second
  }
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const { rows } = await client.query(
    `SELECT d.points_stored, (SELECT coalesce(sum(cardinality(xs)), 0) FROM strokes WHERE drawing_id = d.id)::int AS points_in_rows
       FROM drawings d WHERE d.round_id = $1 AND d.points_stored > 0`,
    [round2],
  );
  await client.end();
  return { strokesAccepted: accepted, refused, stored: rows };
});

// ---- 10 parallel exports of the full round ------------------------------------------------------------
await phase("export-x10", async () => {
  const responses = await Promise.all(
    Array.from({ length: 10 }, async () => {
      const res = await fetch(`${url}/api/rounds/${roundId}/drawings.ndjson`, { headers: { "x-forwarded-for": "10.7.0.1" } });
      return { status: res.status, bytes: (await res.arrayBuffer()).byteLength };
    }),
  );
  return { statuses: responses.map((r) => r.status), exportMB: +(responses[0]!.bytes / 1e6).toFixed(1) };
});

console.log(JSON.stringify(results, null, 2));
for (const c of [...players, observer, scribbler, friend]) c.close();
honest.send({ type: "stop" });
server.send({ type: "stop" });
await once(server, "exit");
await db.drop();
process.exit(0);
