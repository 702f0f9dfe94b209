// The AI guesser end to end on a real server: a player whose doodle the classifier recognizes
// claims it, the server checks the claim with the same classifier (in its worker thread) and
// agrees, everyone hears of it, it is stored and it scores; a claim for a doodle of something
// else is refused, and the stored strokes replay to the same guess.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { createPostgresStore } from "../../server/persistence/postgres-store";
import { useTestServer } from "../helpers/test-server";
import { useBackend } from "../../model/backend";
import { guessDrawing, type Classifier } from "../../model/classifier";
import { loadClassifierDir } from "../../model/node/classifier-files";
import { loadQuickDraw } from "../../model/node/quickdraw";
import { drawingFromPoints, type Drawing } from "../../model/rasterize";
import { recognitionBonus, POINTS_FOR_A_DOODLE } from "../../game/scoring";
import type { Recognition, Stroke } from "../../protocol";

const { url, databaseUrl, connect } = useTestServer();
let classifier: Classifier;

before(async () => {
  await useBackend("wasm");
  classifier = await loadClassifierDir();
});

/** A dataset doodle as the game's strokes: 10 ms between points, 100 ms between strokes. */
function asStrokes(drawing: Drawing, prefix: string): Stroke[] {
  let t = 0;
  return drawing.map(([xs, ys], i) => ({
    id: `${prefix}-stroke-${i}`,
    points: xs.map((x, k) => [Math.round(x), Math.round(ys[k] ?? 0), (t += k === 0 ? 100 : 10)] as [number, number, number]),
  }));
}

const top = (strokes: readonly Stroke[]) => guessDrawing(classifier, drawingFromPoints(strokes), 3)[0]?.word;

test("the server checks recognition claims with the same classifier, stores them and scores them", async () => {
  const [ann, bob] = await Promise.all([connect(), connect()]);
  const heard: Recognition[] = [];
  bob.socket.on("drawing:recognized", (e) => heard.push(e));
  const created = await ann.request("room:create", { nickname: "Ann" });
  const joined = await bob.request("room:join", { code: created.code, nickname: "Bob" });
  assert.equal(joined.ok, true);
  assert.equal((await ann.request("room:settings", { rounds: 1, roundSeconds: 20 })).ok, true);
  assert.equal((await ann.request("game:start", {})).ok, true);
  const round = await ann.waitFor("the round", () => ann.state?.phase === "drawing" && ann.state.rounds[0]);
  assert.ok(classifier.categories.includes(round.word), "the word is one the AI knows");

  // Ann draws a dataset doodle of the word that the classifier recognizes; Bob one it takes for something else.
  const all = await loadQuickDraw();
  const annStrokes = all.filter((s) => s.category === round.word).map((s, i) => asStrokes(s.drawing, `ann${i}`)).find((s) => top(s) === round.word);
  const bobStrokes = all.filter((s) => s.category !== round.word).map((s, i) => asStrokes(s.drawing, `bob${i}`)).find((s) => top(s) !== round.word);
  assert.ok(annStrokes && bobStrokes);
  for (const [client, strokes] of [[ann, annStrokes], [bob, bobStrokes]] as const) {
    for (const stroke of strokes) assert.equal((await client.request("stroke:add", { roundId: round.id, stroke })).ok, true);
  }

  const annLast = annStrokes.at(-1)!;
  const atMs = Math.max(...annStrokes.flatMap((s) => s.points.map((p) => p[2])));
  // The server agrees with the client's classifier both ways.
  assert.deepEqual(await ann.request("drawing:recognized", { roundId: round.id, strokeId: annLast.id }), { ok: true, recognized: true, atMs });
  assert.deepEqual(await bob.request("drawing:recognized", { roundId: round.id, strokeId: bobStrokes.at(-1)!.id }), {
    ok: true, recognized: false, atMs: null,
  });
  // Asking again is answered from the first check; a stroke that is not on the canvas is refused.
  assert.deepEqual(await ann.request("drawing:recognized", { roundId: round.id, strokeId: annStrokes[0]!.id }), { ok: true, recognized: true, atMs });
  assert.equal((await bob.request("drawing:recognized", { roundId: round.id, strokeId: "not-a-stroke-of-bob" })).error.code, "not_found");
  assert.equal((await bob.request("drawing:recognized", { roundId: round.id, strokeId: "!" })).error.code, "bad_request");

  await bob.waitFor("Bob hears of Ann's recognition", () => heard.length > 0);
  assert.deepEqual(heard, [{ roundId: round.id, playerId: created.playerId, atMs }]);

  // Scores: a doodle each, and Ann's recognition bonus (the server counts it, never the client).
  await ann.waitFor("results", () => ann.state?.phase === "results", 40_000);
  const scores = Object.fromEntries(ann.state!.players.map((p) => [p.nickname, p.score]));
  assert.deepEqual(scores, { Ann: POINTS_FOR_A_DOODLE + recognitionBonus(atMs, 20_000), Bob: POINTS_FOR_A_DOODLE });
  assert.ok(scores.Ann! > POINTS_FOR_A_DOODLE);

  // Too late: the round is over.
  assert.equal((await bob.request("drawing:recognized", { roundId: round.id, strokeId: bobStrokes[0]!.id })).error.code, "wrong_phase");

  // Stored with the drawing, and the stored strokes replay to the guess made while drawing.
  const store = createPostgresStore(databaseUrl());
  try {
    const stored = await store.loadRoundDrawings(round.id);
    const annStored = stored.find((d) => d.playerId === created.playerId)!;
    const bobStored = stored.find((d) => d.playerId === joined.playerId)!;
    assert.equal(annStored.recognizedAtMs, atMs);
    assert.equal(bobStored.recognizedAtMs, null);
    const replay = (d: typeof annStored) => guessDrawing(classifier, drawingFromPoints(d.strokes), 3);
    assert.deepEqual(replay(annStored), guessDrawing(classifier, drawingFromPoints(annStrokes), 3));
    assert.deepEqual(replay(bobStored), guessDrawing(classifier, drawingFromPoints(bobStrokes), 3));
  } finally {
    await store.close();
  }

  // The export says which doodles were recognized (the dataset's `recognized` field).
  const records = (await (await fetch(`${url()}/api/rounds/${round.id}/drawings.ndjson`)).text()).trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(records.map((r) => r.recognized).sort(), [false, true]);
});
