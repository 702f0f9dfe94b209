// The server's side of the dance: when a round ends every player gets the same plan (the inked
// doodles in seat order, a start time, then the server's refined codes), the gallery lasts one
// loop, the results get the best doodles; the game's gallery route serves every finished round's
// doodles by the room's id.
import { test } from "node:test";
import assert from "node:assert/strict";
import { makeStroke } from "../helpers/game-client";
import { useTestServer } from "../helpers/test-server";
import { seededRandom } from "../../common/random";
import { galleryMs } from "../../game/room";
import { DANCE_LEAD_MS, type GameGalleryView } from "../../protocol";

const { url: serverUrl, connect } = useTestServer();

test("a round's end plans one dance for everyone; the game's gallery keeps the doodles", async () => {
  const url = serverUrl();
  const random = seededRandom(4);
  const [ann, bob, cy] = await Promise.all([connect(), connect(), connect()]);
  const created = await ann.request("room:create", { nickname: "Ann" });
  const bobSeat = await bob.request("room:join", { code: created.code, nickname: "Bob" });
  await cy.request("room:join", { code: created.code, nickname: "Cy" });
  await ann.request("room:settings", { rounds: 1, roundSeconds: 10 });
  assert.equal((await ann.request("game:start", {})).ok, true);
  const round = await ann.waitFor("drawing", () => ann.state?.phase === "drawing" && ann.state.rounds[0]);
  assert.equal(ann.state!.dance, null, "no dance while drawing");

  // Bob draws first, Ann second, Cy not at all: the dance follows seat order and skips Cy.
  const bobStrokes = [makeStroke("bob-stroke-1", 12, random), makeStroke("bob-stroke-2", 8, random, 900)];
  for (const stroke of bobStrokes) assert.equal((await bob.request("stroke:add", { roundId: round.id, stroke })).ok, true);
  assert.equal((await ann.request("stroke:add", { roundId: round.id, stroke: makeStroke("ann-stroke-1", 20, random) })).ok, true);

  const views = await Promise.all(
    [ann, bob, cy].map((c) => c.waitFor("gallery", () => c.state?.phase === "gallery" && c.state, 20_000)),
  );
  const { codes: _, ...plan } = views[0]!.dance!;
  for (const v of views) assert.deepEqual({ ...v.dance, codes: undefined }, { ...plan, codes: undefined }, "every player gets the same plan");

  // The server's refined codes follow, the same for everyone, by the active model's version.
  const coded = await Promise.all([ann, bob, cy].map((c) => c.waitFor("codes", () => c.state?.dance?.codes ?? null, 20_000)));
  for (const codes of coded) assert.deepEqual(codes, coded[0]);
  const active = (await (await fetch(`${url}/api/models/active`)).json()) as { version: string };
  assert.equal(coded[0]!.version, active.version);
  assert.equal(coded[0]!.values.length, plan.steps.length);
  for (const code of coded[0]!.values) {
    assert.equal(code.length, 32);
    assert.ok(code.every(Number.isFinite));
  }
  assert.notDeepEqual(coded[0]!.values[0], coded[0]!.values[1], "each doodle has its own code");
  assert.deepEqual(plan.steps, [created.playerId, bobSeat.playerId].map((playerId) => ({ roundId: round.id, playerId })));
  // The plan starts a lead-in after the round's end; the gallery lasts one loop after that.
  const endedAt = views[0]!.phaseEndsAt! - galleryMs(plan);
  assert.equal(plan.startsAt, endedAt + DANCE_LEAD_MS);
  assert.ok(Math.abs(endedAt - views[0]!.serverNow) < 1000);

  const results = await ann.waitFor("results", () => ann.state?.phase === "results" && ann.state, 20_000);
  assert.deepEqual(results.dance?.steps, plan.steps, "the best doodles dance again on the results page");
  const resultCodes = await ann.waitFor("result codes", () => ann.state?.dance?.codes ?? null, 20_000);
  assert.deepEqual(resultCodes, coded[0], "the same doodles keep their codes");
  assert.equal(results.dance?.id, "game-1");

  // The game's gallery, by the room's id (never by its code).
  const gallery = results.gallery!;
  assert.equal(gallery.gameNumber, 1);
  const res = await fetch(`${url}/api/games/${gallery.roomId}/1`);
  assert.equal(res.status, 200);
  const view = (await res.json()) as GameGalleryView;
  assert.equal(view.rounds.length, 1);
  assert.equal(view.rounds[0]!.word, round.word);
  const bobs = view.rounds[0]!.doodles.find((d) => d.playerId === bobSeat.playerId)!;
  assert.equal(bobs.nickname, "Bob");
  assert.deepEqual(bobs.strokes, bobStrokes);
  assert.equal(view.rounds[0]!.doodles.length, 2, "blank doodles are left out");
  assert.equal((await fetch(`${url}/api/games/${gallery.roomId}/2`)).status, 404);
  assert.equal((await fetch(`${url}/api/games/00000000-0000-0000-0000-000000000000/1`)).status, 404);
  assert.equal((await fetch(`${url}/api/games/${created.code}/1`)).status, 404, "room codes don't open galleries");
});
