import { test } from "node:test";
import assert from "node:assert/strict";
import { createRoom, join, type Outcome, type RoomState } from "../../game/room";
import { KICKED_COOLDOWN_MS, seatRefusal } from "../../game/seat-limits";
import { activeKickVotes, kickVotesNeeded } from "../../game/kick-votes";
import { voteKick } from "../../game/vote-kick";

function ok(outcome: Outcome): RoomState {
  assert.ok(outcome.ok, JSON.stringify(outcome));
  return outcome.state;
}

/** Players p1..pN seated in order, from the given networks (p1 hosts). */
function roomFrom(addresses: string[]): RoomState {
  return addresses.reduce((s, address, i) => ok(join(s, { id: `p${i + 1}`, nickname: `P${i + 1}`, address })), createRoom("ABCDEF"));
}

test("seats per network: refused at the limit, other networks not", () => {
  const cases: [seated: string[], address: string, limit: number, refused: string | null][] = [
    [[], "a", 4, null],
    [["a", "a", "a"], "a", 4, null],
    [["a", "a", "a", "a"], "a", 4, "room_full"],
    [["a", "a", "a", "a"], "b", 4, null],
    [["a"], "a", 1, "room_full"],
    [["b", "c", "d", "e"], "a", 1, null],
  ];
  for (const [seated, address, limit, refused] of cases) {
    const error = seatRefusal(roomFrom(seated), address, 0, limit);
    assert.equal(error?.code ?? null, refused, `${seated.join(",")} + ${address}, limit ${limit}`);
    if (error) assert.match(error.message, new RegExp(`already has ${limit} players from your network`));
  }
});

test("votes count once per network, the target's own network doesn't vote, and the kicked network stays out", () => {
  const cases: { name: string; addresses: string[]; voters: string[]; target: string; removed: boolean }[] = [
    { name: "two sockets of one outsider can't remove the host of one honest player", addresses: ["h", "f", "x", "x"], voters: ["p3", "p4"], target: "p1", removed: false },
    { name: "four sockets of one outsider can't remove the host of four", addresses: ["h", "a", "b", "c", "x", "x", "x", "x"], voters: ["p5", "p6", "p7", "p8"], target: "p1", removed: false },
    { name: "the outsider's voice plus one honest player is not a majority of four networks", addresses: ["h", "a", "b", "c", "x", "x"], voters: ["p5", "p6", "p2"], target: "p1", removed: false },
    { name: "two networks of three remove the third", addresses: ["a", "b", "t"], voters: ["p1", "p2"], target: "p3", removed: true },
    { name: "a troll's housemate can't save it", addresses: ["a", "b", "t", "t"], voters: ["p1", "p2"], target: "p3", removed: true },
    { name: "a household of two is one voice", addresses: ["a", "a", "t"], voters: ["p1", "p2"], target: "p3", removed: false },
  ];
  for (const c of cases) {
    let s = roomFrom(c.addresses);
    for (const voter of c.voters) s = ok(voteKick(s, voter, c.target, 1000));
    assert.equal(!s.seats.some((p) => p.id === c.target), c.removed, c.name);
    if (c.removed) {
      const address = c.addresses[Number(c.target.slice(1)) - 1]!;
      assert.equal(seatRefusal(s, address, 1000 + KICKED_COOLDOWN_MS - 1, 12)?.code, "removed", `${c.name}: kept out`);
      assert.match(seatRefusal(s, address, 1000, 12)!.message, /voted out of this room; it can be joined from here again in 10 minutes/);
      assert.equal(seatRefusal(s, address, 1000 + KICKED_COOLDOWN_MS, 12), null, `${c.name}: welcome after the cool-down`);
    } else {
      const target = s.seats.find((p) => p.id === c.target)!;
      assert.ok(activeKickVotes(s.seats, target, target.kickVotes) < kickVotesNeeded(s.seats, c.target), c.name);
    }
  }
});
