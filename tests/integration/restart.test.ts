// A single server (no Redis) restarts mid-round: its rooms come back from their snapshots in
// PostgreSQL, players re-join with their seat tokens into the same seats, their strokes are back
// and the round runs on to its end. Once after a clean stop (SIGTERM), once after a crash (SIGKILL).
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database";
import { GameClient, makeStroke } from "../helpers/game-client";
import { seededRandom } from "../../common/random";

let db: TestDatabase | undefined;
const processes: ChildProcess[] = [];
const clients: GameClient[] = [];

after(async () => {
  for (const c of clients) c.close();
  for (const p of processes) p.kill("SIGKILL");
  await db?.drop();
});

async function serverProcess(databaseUrl: string): Promise<{ url: string; process: ChildProcess }> {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/helpers/server-process.ts"], {
    env: { ...process.env, DATABASE_URL: databaseUrl, REDIS_URL: "", LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  processes.push(child);
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  while (!/listening on \d+/.test(output)) await once(child.stdout!, "data");
  return { url: `http://127.0.0.1:${/listening on (\d+)/.exec(output)![1]}`, process: child };
}

async function connect(url: string): Promise<GameClient> {
  const client = new GameClient(url);
  clients.push(client);
  await client.connected();
  return client;
}

async function ok<R extends { ok: boolean }>(reply: Promise<R>): Promise<R> {
  const r = await reply;
  assert.equal(r.ok, true, JSON.stringify(r));
  return r;
}

for (const stop of ["SIGTERM", "SIGKILL"] as const) {
  test(`restart after ${stop}: same seats by token, strokes back, the round goes on`, { timeout: 90_000 }, async () => {
    db ??= await createTestDatabase();
    const random = seededRandom(stop === "SIGTERM" ? 5 : 6);
    const first = await serverProcess(db.url);
    const [host, guest] = [await connect(first.url), await connect(first.url)];
    const created = await ok(host.request("room:create", { nickname: "Host" }));
    const joined = await ok(guest.request("room:join", { code: created.code, nickname: "Guest" }));
    await ok(host.request("room:settings", { rounds: 2, roundSeconds: 12 }));
    await ok(host.request("game:start", {}));
    const round = await host.waitFor("the round", () => host.state?.phase === "drawing" && host.state.rounds[0]);
    const deadline = host.state!.phaseEndsAt;
    const strokes = [makeStroke("stroke-1", 6, random), makeStroke("stroke-2", 6, random)];
    for (const stroke of strokes) await ok(host.request("stroke:add", { roundId: round.id, stroke }));

    first.process.kill(stop);
    await once(first.process, "exit");
    host.close();
    guest.close();

    const second = await serverProcess(db.url);
    const [host2, guest2] = [await connect(second.url), await connect(second.url)];
    const back = await ok(host2.request("room:join", { code: created.code, nickname: "Host", token: created.token }));
    const guestBack = await ok(guest2.request("room:join", { code: created.code, nickname: "Guest", token: joined.token }));
    assert.equal(back.playerId, created.playerId);
    assert.equal(guestBack.playerId, joined.playerId);

    const state = await host2.waitFor("the room's state", () => host2.state);
    assert.equal(state.phase, "drawing");
    assert.equal(state.rounds[0]?.id, round.id);
    assert.equal(state.phaseEndsAt, deadline, "the round keeps its deadline");
    assert.deepEqual(state.players.map((p) => p.id).sort(), [created.playerId, joined.playerId].sort());
    const mine = host2.snapshot.find((d) => d.roundId === round.id && d.playerId === created.playerId);
    assert.deepEqual(mine?.strokes.map((s) => s.id), ["stroke-1", "stroke-2"]);

    // Play goes on: a new stroke reaches the other player, and the round ends on time into the gallery.
    await ok(host2.request("stroke:add", { roundId: round.id, stroke: makeStroke("stroke-3", 6, random) }));
    await guest2.waitFor("the new stroke", () => guest2.received.some((e) => e.stroke.id === "stroke-3"));
    await host2.waitFor("the gallery", () => host2.state?.phase === "gallery", 30_000);
    host2.close();
    guest2.close();
    second.process.kill("SIGTERM");
    await once(second.process, "exit");
  });
}
