// Between rounds: the gallery lasts the dance's loop, and the host (only the host) can end it early.
// Three real socket.io clients against a real server.
import { test } from "node:test";
import assert from "node:assert/strict";
import { makeStroke } from "../helpers/game-client";
import { useTestServer } from "../helpers/test-server";
import { seededRandom } from "../../common/random";
import { galleryMs } from "../../game/room";
import { DANCE_LEAD_MS } from "../../protocol";

const { connect } = useTestServer();

test("the host moves everyone on from the gallery; the others are told only the host can", async () => {
  const random = seededRandom(12);
  const [ann, bob, cy] = await Promise.all([connect(), connect(), connect()]);
  const { code } = await ann.request("room:create", { nickname: "Ann" });
  await bob.request("room:join", { code, nickname: "Bob" });
  await cy.request("room:join", { code, nickname: "Cy" });
  await ann.request("room:settings", { rounds: 2, roundSeconds: 10 });
  assert.deepEqual(await ann.request("game:start", {}), { ok: true });

  const round1 = await ann.waitFor("round 1", () => ann.state?.phase === "drawing" && ann.state.rounds[0]);
  assert.equal((await ann.request("gallery:next", {})).error.code, "wrong_phase", "no gallery while drawing");
  for (const [client, id] of [[ann, "ann-gallery-1"], [bob, "bob-gallery-1"]] as const) {
    assert.equal((await client.request("stroke:add", { roundId: round1.id, stroke: makeStroke(id, 10, random) })).ok, true);
  }

  const gallery = await cy.waitFor("the gallery", () => cy.state?.phase === "gallery" && cy.state, 20_000);
  const endedAt = gallery.dance!.startsAt - DANCE_LEAD_MS;
  assert.equal(gallery.dance!.steps.length, 2);
  assert.equal(gallery.phaseEndsAt! - endedAt, galleryMs(gallery.dance), "the gallery lasts the dance's loop, or the minimum");

  const refused = await bob.request("gallery:next", {});
  assert.deepEqual(refused, { ok: false, error: { code: "forbidden", message: "Only the host can move on from the gallery." } });
  assert.equal(bob.errors.at(-1)?.event, "gallery:next", "the refusal is also reported as an error event");
  assert.equal(cy.state!.phase, "gallery", "a refused skip changes nothing");

  assert.deepEqual(await ann.request("gallery:next", {}), { ok: true });
  for (const c of [ann, bob, cy]) {
    const round2 = await c.waitFor("round 2, early", () => c.state?.phase === "drawing" && c.state.rounds.length === 2 && c.state);
    assert.ok(round2.serverNow < gallery.phaseEndsAt!, "the round starts before the gallery would have ended");
    assert.equal(round2.dance, null);
  }
  assert.equal((await ann.request("gallery:next", {})).error.code, "wrong_phase", "a second skip does not skip the round");
});
