// Three real clients on three networks (X-Forwarded-For, behind a trusted proxy): two vote a third
// out; the server removes the seat, tells that player in words, forgets the seat token, keeps its
// network out for a while, and everyone else sees the vote count and the removal.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useTestServer } from "../helpers/test-server";

const { connect } = useTestServer({ trustProxy: 1 });

test("two of three players vote the third out", async () => {
  const [ann, bob, troll] = await Promise.all([connect("10.1.0.1"), connect("10.1.0.2"), connect("10.1.0.3")]);
  const { code } = await ann.request("room:create", { nickname: "Ann" });
  await bob.request("room:join", { code, nickname: "Bob" });
  const trollSeat = await troll.request("room:join", { code, nickname: "Troll" });
  await ann.waitFor("3 players", () => ann.state?.players.length === 3);

  assert.equal((await troll.request("player:kick", { playerId: trollSeat.playerId })).error.code, "bad_request");
  assert.deepEqual(await ann.request("player:kick", { playerId: trollSeat.playerId }), { ok: true });
  const counted = await bob.waitFor("the vote count", () =>
    bob.state?.players.find((p) => p.id === trollSeat.playerId && p.kickVotes > 0),
  );
  assert.deepEqual([counted.kickVotes, counted.kickVotesNeeded], [1, 2]);

  assert.deepEqual(await bob.request("player:kick", { playerId: trollSeat.playerId }), { ok: true });
  await ann.waitFor("the troll gone", () => ann.state?.players.length === 2);
  const told = await troll.waitFor("the troll told", () => troll.errors.find((e) => e.code === "removed"));
  assert.match(told.message, /voted to remove you/);
  // The seat is gone for good: its token no longer brings it back, and its socket can't act.
  assert.equal((await troll.request("game:start", {})).error.code, "not_in_room");
  const back = await troll.request("room:join", { code, nickname: "Troll", token: trollSeat.token });
  assert.equal(back.error.code, "removed", "its network is kept out for a while");
  assert.match(back.error.message, /voted out of this room; it can be joined from here again in 10 minutes/);
  const fresh = await connect("10.1.0.3");
  assert.equal((await fresh.request("room:join", { code, nickname: "Troll again" })).error.code, "removed");
  // Other networks still get in.
  const friend = await connect("10.1.0.4");
  assert.equal((await friend.request("room:join", { code, nickname: "Friend" })).ok, true);
});
