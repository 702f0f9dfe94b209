// The honest room for bench/hostile.ts, in a process of its own (the attack's clients must not
// share its event loop): two players in a long round, one stroke every 50 ms, each reply timed.
// "phase" starts a new stretch of samples; "report" answers with the stretch's summary.
import { GameClient, makeStroke } from "../../tests/helpers/game-client";
import { seededRandom } from "../../common/random";
import { summarize } from "../lib/percentiles";

const url = process.argv[2]!;
const random = seededRandom(7);
const [host, guest] = [new GameClient(url, undefined, { "x-forwarded-for": "10.9.0.1" }), new GameClient(url, undefined, { "x-forwarded-for": "10.9.0.2" })];
await Promise.all([host.connected(), guest.connected()]);
const { code } = await host.request("room:create", { nickname: "Honest host" });
await guest.request("room:join", { code, nickname: "Honest guest" });
await host.request("room:settings", { rounds: 1, roundSeconds: 120 });
await host.request("game:start", {});
const round = await host.waitFor("the round", () => host.state?.phase === "drawing" && host.state.rounds[0]);

let samples: number[] = [];
let lost = 0;
let seq = 0;
const started = Date.now();
const timer = setInterval(() => {
  const client = seq % 2 ? guest : host;
  const stroke = makeStroke(`honest-${seq++}`, 20, random, Math.min(100_000, Date.now() - started));
  const t0 = performance.now();
  client
    .request("stroke:add", { roundId: round.id, stroke })
    .then((ack: { ok: boolean }) => (ack.ok ? samples.push(performance.now() - t0) : lost++))
    .catch(() => lost++);
}, 50);

process.on("message", (m: { type: string }) => {
  if (m.type === "phase") samples = [];
  else if (m.type === "report") process.send!({ type: "report", replies: summarize(samples), lost });
  else if (m.type === "stop") {
    clearInterval(timer);
    host.close();
    guest.close();
    process.exit(0);
  }
});
process.send!({ type: "ready" });
