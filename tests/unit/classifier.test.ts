// The AI guesser: the shipped classifier's accuracy on the held-out split (never trained on), the
// game's word list following its categories, the recognition rule and the scoring table.
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { useBackend } from "../../model/backend";
import { guessDrawing, isRecognized, measureAccuracy, type AccuracyReport, type Classifier } from "../../model/classifier";
import { balancedBatch, splitHeldOut, type Sample } from "../../model/dataset";
import { loadClassifierDir, SHIPPED_CLASSIFIER_DIR } from "../../model/node/classifier-files";
import { loadQuickDraw } from "../../model/node/quickdraw";
import { rngFor } from "../../model/seeds";
import { WORDS } from "../../game/words";
import { recognitionBonus, scoreDoodles } from "../../game/scoring";
import type { Round } from "../../game/room";
import { guessSentence, recognizedSentence } from "../../app/lib/guesser";

// Bounds set from measurement (docs/benchmarks.md, "AI guesser"): the shipped weights measured
// top-1 73.8%, top-5 95.2% overall and a per-category mean top-1 of 66.5% on the 1,221 recognized
// held-out doodles of their 75 categories (chance: 1.3%). The bounds leave room for float
// differences between backends and machines, not for a clearly worse model.
const BOUND = { top1: 0.72, top5: 0.93, meanTop1: 0.64 };

let classifier: Classifier;
let heldOut: Sample[];
let report: AccuracyReport;
before(async () => {
  await useBackend("wasm");
  classifier = await loadClassifierDir();
  const known = new Set(classifier.categories);
  heldOut = splitHeldOut((await loadQuickDraw()).filter((s) => known.has(s.category))).heldOut.filter((s) => s.recognized);
  report = measureAccuracy(classifier, heldOut);
});

describe("shipped classifier", () => {
  test(`held-out accuracy: top-1 >= ${BOUND.top1}, top-5 >= ${BOUND.top5}, per-category mean top-1 >= ${BOUND.meanTop1}`, () => {
    assert.ok(report.overall.n > 500, `${report.overall.n} held-out doodles`);
    assert.ok(report.overall.top1 >= BOUND.top1, `top-1 ${report.overall.top1}`);
    assert.ok(report.overall.top5 >= BOUND.top5, `top-5 ${report.overall.top5}`);
    assert.ok(report.meanOverCategories.top1 >= BOUND.meanTop1, `mean top-1 ${report.meanOverCategories.top1}`);
  });

  test("metadata.json reports what the weights do", async () => {
    const meta = JSON.parse(await readFile(`${SHIPPED_CLASSIFIER_DIR}/metadata.json`, "utf8")) as { accuracy: AccuracyReport };
    assert.ok(Math.abs(meta.accuracy.overall.top1 - report.overall.top1) < 0.005, `${meta.accuracy.overall.top1} vs ${report.overall.top1}`);
    assert.ok(Math.abs(meta.accuracy.overall.top5 - report.overall.top5) < 0.005);
    assert.deepEqual(Object.keys(meta.accuracy.perCategory), [...classifier.categories]);
  });

  test("the game's words are exactly the classifier's categories", () => {
    assert.deepEqual(WORDS.map((w) => w.word).sort(), [...classifier.categories].sort());
  });

  test("guesses: best first, probabilities in order; an empty canvas gets none", () => {
    const guesses = guessDrawing(classifier, heldOut[0]!.drawing, 5);
    assert.equal(guesses.length, 5);
    for (let i = 1; i < 5; i++) assert.ok(guesses[i - 1]!.probability >= guesses[i]!.probability);
    assert.ok(guesses.every((g) => classifier.categories.includes(g.word)));
    assert.deepEqual(guessDrawing(classifier, []), []);
    assert.deepEqual(guessDrawing(classifier, [[[], []]]), []);
  });

  test("the same strokes always get the same guess", () => {
    const a = guessDrawing(classifier, heldOut[1]!.drawing, 3);
    const b = guessDrawing(classifier, structuredClone(heldOut[1]!.drawing), 3);
    assert.deepEqual(a, b);
  });
});

test("recognized means the top guess is the word", () => {
  const cases: [string[], string, boolean][] = [
    [["cat", "dog"], "cat", true],
    [["dog", "cat"], "cat", false],
    [[], "cat", false],
  ];
  for (const [words, word, want] of cases) {
    assert.equal(isRecognized(words.map((w) => ({ word: w, probability: 0.5 })), word), want, `${words} / ${word}`);
  }
});

test("balanced batches: every category about equally often, the same batch for the same seed", () => {
  const byCategory = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [10], [11, 12]];
  const { indices, labels } = balancedBatch(byCategory, 3000, rngFor(1, 2));
  const counts = [0, 0, 0];
  labels.forEach((l, i) => {
    counts[l]!++;
    assert.ok(byCategory[l]!.includes(indices[i]!));
  });
  for (const c of counts) assert.ok(c > 900 && c < 1100, `${counts}`);
  assert.deepEqual(balancedBatch(byCategory, 50, rngFor(1, 2)), balancedBatch(byCategory, 50, rngFor(1, 2)));
});

describe("scoring", () => {
  test("recognition bonus: 5 for being recognized, up to 10 more the sooner", () => {
    const cases: [number | null, number, number][] = [
      [null, 20_000, 0],
      [0, 20_000, 15],
      [5_000, 20_000, 13], // 5 + round(7.5)
      [10_000, 20_000, 10],
      [20_000, 20_000, 5],
      [25_000, 20_000, 5], // a stroke finished just after the buzzer
      [1_000, 0, 0], // no round length: no bonus
    ];
    for (const [atMs, roundMs, want] of cases) assert.equal(recognitionBonus(atMs, roundMs), want, `${atMs} of ${roundMs}`);
  });

  test("a doodle scores 10, a recognized one 10 + bonus; an empty one nothing, recognized or not", () => {
    const round: Round = { id: "r", index: 0, word: "cat", startedAt: 1_000, endedAt: 21_000, drawers: ["a", "b", "c", "d"] };
    const strokes = { a: 3, b: 2, c: 0 };
    const recognized = { a: 4_000, b: null, c: 1_000 };
    assert.deepEqual(scoreDoodles(round, strokes, recognized), { a: 10 + 5 + 8, b: 10, c: 0, d: 0 });
    assert.deepEqual(scoreDoodles(round, strokes), { a: 10, b: 10, c: 0, d: 0 });
  });
});

test("what the AI says", () => {
  const cases: [string[], string][] = [
    [[], ""],
    [["cat"], "I see... a cat?"],
    [["airplane", "guitar"], "I see... an airplane? or a guitar?"],
    [["grass", "eye", "map"], "I see... grass? or an eye? or a map?"],
    [["headphones", "stairs"], "I see... a pair of headphones? or stairs?"],
  ];
  for (const [words, want] of cases) assert.equal(guessSentence(words.map((word) => ({ word, probability: 0.3 }))), want);
  assert.equal(recognizedSentence("octagon"), "Oh, I know! It's an octagon!");
});
