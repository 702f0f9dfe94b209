// npm start's decisions: whether the pages need a build, and the process tree a test checks.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readInputs, stampOf, whyBuild, type BuildState } from "../../server/launch/build-stamp";
import { descendants } from "../helpers/process-tree";

describe("stampOf", () => {
  const a = { path: "app/page.tsx", content: "export default 1" };
  const b = { path: "game/words.ts", content: "export const W = []" };
  const cases: { name: string; left: Parameters<typeof stampOf>; right: Parameters<typeof stampOf>; same: boolean }[] = [
    { name: "same files, other order", left: [[a, b], "16.0.0"], right: [[b, a], "16.0.0"], same: true },
    { name: "a file's content changed", left: [[a, b], "16.0.0"], right: [[a, { ...b, content: "export const W = [1]" }], "16.0.0"], same: false },
    { name: "a file renamed", left: [[a, b], "16.0.0"], right: [[a, { ...b, path: "game/word.ts" }], "16.0.0"], same: false },
    { name: "a file added", left: [[a], "16.0.0"], right: [[a, b], "16.0.0"], same: false },
    { name: "another Next.js", left: [[a, b], "16.0.0"], right: [[a, b], "16.1.0"], same: false },
    // Path and content are kept apart: moving text across the boundary is a change.
    { name: "path/content boundary", left: [[{ path: "ab", content: "c" }], "1"], right: [[{ path: "a", content: "bc" }], "1"], same: false },
  ];
  for (const c of cases) {
    test(c.name, () => assert.equal(stampOf(...c.left) === stampOf(...c.right), c.same));
  }
});

describe("whyBuild", () => {
  const cases: { state: BuildState; current: string; why: string | null }[] = [
    { state: { built: false, stamp: null }, current: "s1", why: "no build yet" },
    { state: { built: false, stamp: "s1" }, current: "s1", why: "no build yet" },
    { state: { built: true, stamp: null }, current: "s1", why: "the last build left no stamp (built by hand, or interrupted)" },
    { state: { built: true, stamp: "s0" }, current: "s1", why: "sources changed since the last build" },
    { state: { built: true, stamp: "s1" }, current: "s1", why: null },
  ];
  for (const c of cases) {
    test(`${JSON.stringify(c.state)} now ${c.current}`, () => assert.equal(whyBuild(c.state, c.current), c.why));
  }
});

test("readInputs: the pages' sources and config, not dependencies or native build output", async () => {
  const root = await mkdtemp(join(tmpdir(), "dd-inputs-"));
  try {
    for (const dir of ["app/r", "model/node/native/build", "node_modules/x", "server"]) await mkdir(join(root, dir), { recursive: true });
    for (const file of ["app/r/page.tsx", "model/node/native/build/kernels.node", "node_modules/x/i.js", "server/main.ts", "next.config.js"]) {
      await writeFile(join(root, file), file);
    }
    assert.deepEqual(readInputs(root).map((f) => f.path).sort(), ["app/r/page.tsx", "next.config.js"]);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

describe("descendants", () => {
  const table: [number, number][] = [[1, 0], [10, 1], [11, 10], [12, 10], [13, 12], [20, 1], [21, 20]];
  const cases: { root: number; expected: number[] }[] = [
    { root: 10, expected: [11, 12, 13] },
    { root: 12, expected: [13] },
    { root: 13, expected: [] },
    { root: 99, expected: [] },
  ];
  for (const c of cases) {
    test(`below ${c.root}`, () => assert.deepEqual(descendants(table, c.root).sort((x, y) => x - y), c.expected));
  }
});

test("watchParent: a parent that died before watching began (the spawner's pid passed in) is noticed at once", async () => {
  const { spawnSync } = await import("node:child_process");
  const script = `
    const { watchParent, PARENT_PID_ENV } = await import(${JSON.stringify(new URL("../../server/launch/parent-watch.ts", import.meta.url).href)});
    watchParent(() => { console.log("gone"); process.exit(0); }, 50);
    setTimeout(() => { console.log("still watching"); process.exit(1); }, 5000);`;
  const run = (env: Record<string, string>) =>
    spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { env: { ...process.env, ...env }, encoding: "utf8" });
  // Spawned "by" a process that is not our parent any more (as when it was killed during our start-up).
  const orphan = run({ DOODLE_PARENT_PID: "999999999" });
  assert.equal(orphan.stdout.trim(), "gone", orphan.stderr);
  // Our real parent, alive: no false alarm.
  const child = run({ DOODLE_PARENT_PID: String(process.pid) });
  assert.equal(child.stdout.trim(), "still watching", child.stderr);
});
