// The database goes away mid-round: players get a clear error, the room keeps playing live, and
// the strokes re-sent once it is back are stored exactly once.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { startServer, type RunningServer } from "../../server/start";
import { createPostgresStore } from "../../server/persistence/postgres-store";
import { createTestDatabase } from "../helpers/test-database";
import { startTcpProxy, type TcpProxy } from "../helpers/tcp-proxy";
import { GameClient, makeStroke, twoPlayerRound } from "../helpers/game-client";
import { seededRandom } from "../../common/random";

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let proxy: TcpProxy;
let server: RunningServer;
const clients: GameClient[] = [];

before(async () => {
  db = await createTestDatabase();
  const target = new URL(db.url);
  proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
  const viaProxy = new URL(db.url);
  viaProxy.port = String(proxy.port);
  server = await startServer({ port: 0, host: "127.0.0.1", pages: false, databaseUrl: viaProxy.toString() });
});

after(async () => {
  for (const c of clients) c.close();
  proxy?.restore();
  await server?.stop();
  await proxy?.close();
  await db?.drop();
});

test("strokes drawn while the database is away are refused clearly, then stored once when re-sent", async () => {
  const random = seededRandom(3);
  const { host, guest, round } = await twoPlayerRound(`http://127.0.0.1:${server.port}`, 60);
  clients.push(host, guest);

  const before = makeStroke("before-outage", 20, random);
  assert.equal((await host.request("stroke:add", { roundId: round.id, stroke: before })).ok, true);

  proxy.cut();
  const during = makeStroke("during-outage", 20, random, 1000);
  const refused = await host.request("stroke:add", { roundId: round.id, stroke: during }, 20_000);
  assert.equal(refused.ok, false);
  assert.equal(refused.error.code, "storage_unavailable");
  assert.match(refused.error.message, /couldn't be saved yet/);
  // The room still plays live: the guest saw the stroke while it waited for storage.
  await guest.waitFor("live stroke during the outage", () => guest.received.some((r) => r.stroke.id === during.id));

  proxy.restore();
  const resent = await host.request("stroke:add", { roundId: round.id, stroke: during }, 20_000);
  assert.deepEqual(resent, { ok: true, strokeId: during.id, duplicate: false });
  assert.deepEqual(await host.request("stroke:add", { roundId: round.id, stroke: during }), {
    ok: true,
    strokeId: during.id,
    duplicate: true,
  });

  const store = createPostgresStore(db.url);
  try {
    const [drawing] = (await store.loadRoundDrawings(round.id)).filter((d) => d.nickname === "Host");
    assert.deepEqual(
      drawing!.strokes.map((s) => ({ id: s.clientId, points: s.points })),
      [before, during].map((s) => ({ id: s.id, points: s.points })),
    );
  } finally {
    await store.close();
  }
});
