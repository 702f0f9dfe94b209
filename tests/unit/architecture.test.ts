// The folders' rules from docs/architecture.md that a test can hold: no import cycles, and model/
// (the neural nets, shared by browser and server) knows nothing of the game's rules.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { findCycles, importGraph } from "../helpers/import-graph";

const root = new URL("../..", import.meta.url).pathname;
const graph = importGraph(root, ["app", "common", "game", "model", "protocol", "server", "scripts"]);

describe("findCycles", () => {
  const cases: { name: string; edges: [string, string[]][]; cycles: string[][] }[] = [
    { name: "a tree", edges: [["a", ["b", "c"]], ["b", ["c"]], ["c", []]], cycles: [] },
    { name: "two modules", edges: [["a", ["b"]], ["b", ["a"]]], cycles: [["a", "b", "a"]] },
    { name: "three, entered from outside", edges: [["x", ["a"]], ["a", ["b"]], ["b", ["c"]], ["c", ["a"]]], cycles: [["a", "b", "c", "a"]] },
    { name: "self import", edges: [["a", ["a"]]], cycles: [["a", "a"]] },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(findCycles(new Map(c.edges)), c.cycles));
});

test("the graph is read: room.ts imports its rules' helpers", () => {
  assert.ok(graph.get("game/room.ts")?.includes("game/kick-votes.ts"), JSON.stringify(graph.get("game/room.ts")));
});

test("no module imports itself through others", () => {
  assert.deepEqual(findCycles(graph).map((c) => c.join(" → ")), []);
});

test("model/ imports nothing from game/", () => {
  const offending = [...graph].filter(([file]) => file.startsWith("model/")).flatMap(([file, deps]) => deps.filter((d) => d.startsWith("game/")).map((d) => `${file} → ${d}`));
  assert.deepEqual(offending, []);
});
