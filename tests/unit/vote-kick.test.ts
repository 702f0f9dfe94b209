import { test } from "node:test";
import assert from "node:assert/strict";
import { createRoom, disconnect, join, type Outcome, type RoomState } from "../../game/room";
import { voteKick } from "../../game/vote-kick";
import { kickVotesNeeded } from "../../game/kick-votes";

function ok(outcome: Outcome): RoomState {
  assert.ok(outcome.ok, JSON.stringify(outcome));
  return outcome.state;
}

/** A lobby with players p1..pN seated in order (p1 hosts). */
function roomOf(n: number): RoomState {
  let s = createRoom("ABCDEF");
  for (let i = 1; i <= n; i++) s = ok(join(s, { id: `p${i}`, nickname: `P${i}` }));
  return s;
}

test("votes needed: a majority of the other connected players, never fewer than two", () => {
  const cases: [players: number, needed: number][] = [[2, 2], [3, 2], [4, 2], [5, 3], [6, 3], [7, 4], [12, 6]];
  for (const [players, needed] of cases) assert.equal(kickVotesNeeded(roomOf(players).seats, "p1"), needed, `${players} players`);
  // Disconnected players neither vote nor count.
  const s = ok(disconnect(ok(disconnect(roomOf(6), "p5", 0)), "p6", 0));
  assert.equal(kickVotesNeeded(s.seats, "p1"), 2);
});

test("vote-kick table", () => {
  const cases: { name: string; players: number; votes: [voter: string, target: string][]; removed: boolean; error?: string }[] = [
    { name: "one vote of three players is not enough", players: 3, votes: [["p1", "p3"]], removed: false },
    { name: "two votes of three players remove", players: 3, votes: [["p1", "p3"], ["p2", "p3"]], removed: true },
    { name: "the same vote twice counts once", players: 4, votes: [["p1", "p4"], ["p1", "p4"]], removed: false },
    { name: "a majority of five removes", players: 5, votes: [["p1", "p5"], ["p2", "p5"], ["p3", "p5"]], removed: true },
    { name: "two of five do not", players: 5, votes: [["p1", "p5"], ["p2", "p5"]], removed: false },
    { name: "in a room of two nobody is removed alone", players: 2, votes: [["p1", "p2"]], removed: false },
    { name: "no voting against yourself", players: 3, votes: [["p2", "p2"]], removed: false, error: "bad_request" },
    { name: "unknown target", players: 3, votes: [["p1", "nobody"]], removed: false, error: "not_found" },
    { name: "unknown voter", players: 3, votes: [["ghost", "p2"]], removed: false, error: "not_in_room" },
  ];
  for (const c of cases) {
    let s = roomOf(c.players);
    let last: Outcome | null = null;
    for (const [voter, target] of c.votes) {
      last = voteKick(s, voter, target, 0);
      if (last.ok) s = last.state;
    }
    const target = c.votes.at(-1)![1];
    if (c.error) {
      assert.equal(last!.ok, false, c.name);
      assert.equal(!last!.ok && last!.error.code, c.error, c.name);
      continue;
    }
    assert.equal(!s.seats.some((p) => p.id === target), c.removed, c.name);
    if (c.removed) assert.deepEqual(last!.ok && last!.effects, [{ type: "seatRemoved", playerId: target, kicked: true }], c.name);
  }
});

test("removing the host passes the crown; votes of players who left stop counting", () => {
  let s = roomOf(4);
  s = ok(voteKick(s, "p2", "p1", 0));
  s = ok(voteKick(s, "p3", "p1", 0));
  assert.equal(s.seats.some((p) => p.id === "p1"), false);
  assert.equal(s.hostId, "p2");

  let t = roomOf(5);
  t = ok(voteKick(t, "p1", "p5", 0));
  t = ok(voteKick(t, "p2", "p5", 0));
  t = ok(disconnect(t, "p2", 0)); // p2's vote no longer counts, and 2 of the 3 others are needed
  t = ok(voteKick(t, "p3", "p5", 0));
  assert.equal(t.seats.some((p) => p.id === "p5"), false, "p1 and p3 are a majority of p1, p3, p4");
});
