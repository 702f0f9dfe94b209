// Malformed, oversized, out-of-order and unauthorised messages get clear errors, and the
// room keeps working for everyone else.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startServer, type RunningServer } from "../../server/start";
import { createTestDatabase } from "../helpers/test-database";
import { GameClient, makeStroke } from "../helpers/game-client";
import { seededRandom } from "../../common/random";
import { MAX_PLAYERS_PER_ROOM, MAX_POINTS_PER_STROKE, RATE_BURST } from "../../protocol";

let server: RunningServer;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let url: string;
const clients: GameClient[] = [];
const random = seededRandom(7);

async function connect(auth?: object): Promise<GameClient> {
  const client = new GameClient(url, auth);
  clients.push(client);
  await client.connected();
  return client;
}

let host: GameClient;
let guest: GameClient;
let code: string;
let roundId: string;

before(async () => {
  db = await createTestDatabase();
  // One room takes five of these clients, all from the loopback address: more than one network's default seats.
  server = await startServer({ port: 0, host: "127.0.0.1", pages: false, databaseUrl: db.url, addressLimits: { seatsPerRoom: MAX_PLAYERS_PER_ROOM } });
  url = `http://127.0.0.1:${server.port}`;
  host = await connect();
  guest = await connect();
  code = (await host.request("room:create", { nickname: "Host" })).code;
  assert.equal((await guest.request("room:join", { code, nickname: "Guest" })).ok, true);
  assert.equal((await host.request("room:settings", { rounds: 1, roundSeconds: 60 })).ok, true);
  assert.equal((await host.request("game:start", {})).ok, true);
  roundId = (await guest.waitFor("round", () => guest.state?.phase === "drawing" && guest.state.rounds[0])).id;
});

after(async () => {
  for (const c of clients) c.close();
  await server?.stop();
  await db?.drop();
});

/** After each attack, the honest players still draw and see each other. */
async function roomStillWorks(label: string): Promise<void> {
  const stroke = makeStroke(`ok-${Math.floor(random() * 1e9)}`, 10, random);
  const ack = await host.request("stroke:add", { roundId, stroke });
  assert.equal(ack.ok, true, `${label}: host's stroke stored (${JSON.stringify(ack)})`);
  await guest.waitFor(`${label}: guest sees it`, () => guest.received.some((r) => r.stroke.id === stroke.id));
}

describe("malformed and oversized messages", () => {
  const tooManyPoints = Array.from({ length: MAX_POINTS_PER_STROKE + 1 }, (_, i) => [i % 256, i % 256, i]);
  const cases: { name: string; event: string; payload: () => unknown; code: string; message: RegExp }[] = [
    { name: "not an object", event: "stroke:add", payload: () => "hello", code: "bad_request", message: /Invalid stroke:add/ },
    { name: "missing stroke", event: "stroke:add", payload: () => ({ roundId }), code: "bad_request", message: /stroke/ },
    {
      name: "coordinates outside 0..255",
      event: "stroke:add",
      payload: () => ({ roundId, stroke: { id: "abcdefgh1", points: [[300, 5, 0]] } }),
      code: "bad_request",
      message: /points/,
    },
    {
      name: "fractional coordinates",
      event: "stroke:add",
      payload: () => ({ roundId, stroke: { id: "abcdefgh2", points: [[1.5, 5, 0]] } }),
      code: "bad_request",
      message: /points/,
    },
    {
      name: `more than ${MAX_POINTS_PER_STROKE} points`,
      event: "stroke:add",
      payload: () => ({ roundId, stroke: { id: "abcdefgh3", points: tooManyPoints } }),
      code: "bad_request",
      message: /points/,
    },
    {
      name: "a bad stroke id",
      event: "stroke:add",
      payload: () => ({ roundId, stroke: { id: "<script>", points: [[1, 1, 0]] } }),
      code: "bad_request",
      message: /stroke id/,
    },
    { name: "an unknown event", event: "score:set", payload: () => ({ score: 1e9 }), code: "bad_request", message: /Unknown event/ },
    { name: "an empty nickname", event: "room:create", payload: () => ({ nickname: "   " }), code: "bad_request", message: /nickname/ },
    { name: "a bogus room code", event: "room:join", payload: () => ({ code: "../../etc", nickname: "x" }), code: "bad_request", message: /code/ },
    { name: "settings out of range", event: "room:settings", payload: () => ({ rounds: 99, roundSeconds: 1 }), code: "bad_request", message: /rounds/ },
  ];
  for (const c of cases) {
    test(`${c.name} → ${c.code}`, async () => {
      const attacker = await connect();
      const reply = await attacker.request(c.event, c.payload());
      assert.equal(reply.ok, false);
      assert.equal(reply.error.code, c.code);
      assert.match(reply.error.message, c.message);
      await attacker.waitFor("the error event", () => attacker.errors.some((e) => e.code === c.code));
      await roomStillWorks(c.name);
      attacker.close();
    });
  }

  test("a message over the size cap closes only that connection", async () => {
    const attacker = await connect();
    const closed = new Promise<string>((resolve) => attacker.socket.on("disconnect", (reason) => resolve(reason)));
    attacker.socket.emit("stroke:add", { roundId, stroke: { id: "x".repeat(200_000), points: [] } }, () => {});
    assert.match(await closed, /transport/);
    await roomStillWorks("oversized");
  });
});

describe("out of order and unauthorised", () => {
  test("drawing before joining a room", async () => {
    const stranger = await connect();
    const reply = await stranger.request("stroke:add", { roundId, stroke: makeStroke("stranger-1", 3, random) });
    assert.equal(reply.error.code, "not_in_room");
  });

  test("an unknown room", async () => {
    const stranger = await connect();
    const reply = await stranger.request("room:join", { code: "ZZZZZZ", nickname: "x" });
    assert.equal(reply.error.code, "not_found");
    assert.match(reply.error.message, /no room with the code ZZZZZZ/);
  });

  test("a late joiner cannot draw in a round already running", async () => {
    const late = await connect();
    assert.equal((await late.request("room:join", { code, nickname: "Late" })).ok, true);
    const reply = await late.request("stroke:add", { roundId, stroke: makeStroke("late-stroke-1", 3, random) });
    assert.equal(reply.error.code, "forbidden");
    late.close();
  });

  test("a stroke for a round of another game", async () => {
    const reply = await guest.request("stroke:add", {
      roundId: "00000000-0000-0000-0000-000000000000",
      stroke: makeStroke("guest-other-round", 3, random),
    });
    assert.equal(reply.error.code, "not_found");
  });

  test("stroke times past the round's end are refused", async () => {
    const stroke = { id: "guest-time-travel", points: [[1, 1, 0], [2, 2, 9 * 60 * 1000]] };
    const reply = await guest.request("stroke:add", { roundId, stroke });
    assert.equal(reply.error.code, "bad_request");
  });

  test("a guest cannot use host actions", async () => {
    for (const [event, payload] of [["game:start", {}], ["room:settings", { rounds: 2, roundSeconds: 20 }], ["game:rematch", {}], ["gallery:next", {}]] as const) {
      const reply = await guest.request(event, payload);
      assert.equal(reply.ok, false, event);
      assert.ok(["forbidden", "wrong_phase"].includes(reply.error.code), `${event}: ${reply.error.code}`);
    }
  });

  test("a made-up seat token does not take over anyone's seat", async () => {
    const thief = await connect();
    const reply = await thief.request("room:join", { code, nickname: "Host", token: "A".repeat(32) });
    assert.equal(reply.ok, true);
    assert.notEqual(reply.playerId, host.state!.players.find((p) => p.isHost)!.id);
    thief.close();
  });

  test("a client speaking another protocol version is refused at connect", async () => {
    const old = new GameClient(url, { protocolVersion: 0 });
    clients.push(old);
    await assert.rejects(old.connected(), /Protocol version mismatch/);
  });

  test("a flood is rate limited, and the room keeps working", async () => {
    const flooder = await connect();
    assert.equal((await flooder.request("room:join", { code, nickname: "Flood" })).ok, true);
    const replies = await Promise.all(
      Array.from({ length: RATE_BURST * 2 }, () => flooder.request("room:settings", { rounds: 2, roundSeconds: 20 })),
    );
    assert.ok(replies.some((r) => r.error?.code === "rate_limited"), "some were refused");
    await roomStillWorks("flood");
  });

  test("joining again from the same socket keeps one seat; moving to another room gives the old one up", async () => {
    const repeater = await connect();
    const first = await repeater.request("room:join", { code, nickname: "Again" });
    const seats = () => host.state!.players.filter((p) => p.nickname.startsWith("Again")).length;
    for (let i = 0; i < 5; i++) {
      const again = await repeater.request("room:join", { code, nickname: "Again" });
      assert.equal(again.playerId, first.playerId);
    }
    await host.waitFor("Again seated", () => seats() === 1);
    const other = await repeater.request("room:create", { nickname: "Again" });
    assert.equal(other.ok, true);
    await host.waitFor("Again gone from the first room", () => seats() === 0);
  });

  // Last of the joins in this file: it uses up this address's allowance of wrong codes.
  test("guessing room codes is cut off after a few wrong ones", async () => {
    const guesser = await connect();
    const codes = ["AAAAAA", "BBBBBB", "CCCCCC", "DDDDDD", "EEEEEE", "FFFFFF", "GGGGGG", "HHHHHH", "JJJJJJ", "KKKKKK", "MMMMMM", "NNNNNN"];
    const answers = [];
    for (const guess of codes) answers.push((await guesser.request("room:join", { code: guess, nickname: "Guess" })).error.code);
    assert.ok(answers.filter((c) => c === "not_found").length <= 10, answers.join(","));
    assert.equal(answers.at(-1), "rate_limited");
    // Even the right code is refused now, so a lucky guess after the cut-off gets nothing.
    const right = await guesser.request("room:join", { code, nickname: "Guess" });
    assert.equal(right.error.code, "rate_limited");
  });

  test("the room still plays: both honest players' strokes are stored", async () => {
    const stroke = makeStroke("guest-final-1", 20, random);
    assert.deepEqual(await guest.request("stroke:add", { roundId, stroke }), { ok: true, strokeId: stroke.id, duplicate: false });
  });
});
