// GET /metrics after a played round: rooms, players, sockets, strokes in and out, ack latency,
// fine-tune jobs, in Prometheus' text format.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { startServer, type RunningServer } from "../../server/start";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database";
import { makeStroke, twoPlayerRound, type GameClient } from "../helpers/game-client";
import { seededRandom } from "../../common/random";

let db: TestDatabase;
let server: RunningServer;
const clients: GameClient[] = [];

before(async () => {
  db = await createTestDatabase();
  server = await startServer({ port: 0, host: "127.0.0.1", pages: false, databaseUrl: db.url });
});

after(async () => {
  for (const c of clients) c.close();
  await server?.stop();
  await db?.drop();
});

/** The samples of our own metrics, by name with labels, e.g. `doodle_players{state="connected"}`. */
function ownSamples(text: string): Record<string, number> {
  const lines = text.split("\n").filter((l) => l.startsWith("doodle_"));
  return Object.fromEntries(lines.map((l) => [l.slice(0, l.lastIndexOf(" ")), Number(l.slice(l.lastIndexOf(" ") + 1))]));
}

test("a scrape after strokes shows the room, its players and the strokes in and out", async () => {
  const random = seededRandom(3);
  const { host, guest, round } = await twoPlayerRound(`http://127.0.0.1:${server.port}`, 30);
  clients.push(host, guest);
  for (const id of ["stroke-a", "stroke-b", "stroke-c"]) {
    const reply = await host.request("stroke:add", { roundId: round.id, stroke: makeStroke(id, 5, random) });
    assert.equal(reply.ok, true);
  }
  // A re-send after a lost ack: answered as a duplicate, counted as a retry.
  await host.request("stroke:add", { roundId: round.id, stroke: makeStroke("stroke-a", 5, seededRandom(3)) });
  await guest.waitFor("the strokes", () => guest.received.length >= 3);
  // Live ink: two batches taken, one malformed.
  host.socket.emit("ink:live", ["live-stroke-1", 0, [1, 1, 10]]);
  host.socket.emit("ink:live", ["live-stroke-1", 1, [2, 2, 20]]);
  host.socket.emit("ink:live", ["live-stroke-1", 2, [2, 2]]);
  await guest.waitFor("the live ink", () => guest.live.length === 2);
  await host.waitFor("the refusal", () => host.errors.some((e) => e.event === "ink:live"));

  const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^text\/plain/);
  const text = await res.text();
  const samples = ownSamples(text);
  const expected = {
    doodle_rooms: 1,
    'doodle_players{state="connected"}': 2,
    'doodle_players{state="away"}': 0,
    doodle_sockets: 2,
    doodle_strokes_received_total: 4,
    doodle_stroke_resends_total: 1,
    // Each new stroke went to the one other player.
    doodle_strokes_sent_total: 3,
    doodle_stroke_ack_seconds_count: 4,
    doodle_recognizer_queue: 0,
    'doodle_live_batches_received_total{outcome="taken"}': 2,
    'doodle_live_batches_received_total{outcome="bad_request"}': 1,
  };
  assert.deepEqual(Object.fromEntries(Object.keys(expected).map((k) => [k, samples[k]])), expected);
  assert.match(text, /^# TYPE doodle_finetune_jobs gauge$/m);
  assert.match(text, /^process_cpu_user_seconds_total /m);
});
