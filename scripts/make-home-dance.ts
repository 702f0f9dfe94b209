// Makes the home page's dance (app/lib/home-dance.json, format in app/lib/home-dance.ts): real
// held-out Quick, Draw! doodles of a few game words, morphing into each other through the shipped
// alpha-GAN exactly as a room computes it (encode, refine, morphPath, decode), so the page plays
// it at once without loading tfjs. Deterministic: same weights and data, same file.
//   npx tsx scripts/make-home-dance.ts [--out app/lib/home-dance.json] [--preview frames.png]
// --preview also writes a PNG: each doodle's bitmap, then its morph into the next, one row each.
import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs";
import { splitHeldOut, rasterizeSamples, type Sample } from "../model/dataset";
import { decodeCodes, encodeDrawings, type DoodleModel } from "../model/inference";
import { morphPath } from "../model/morph";
import { loadClassifierDir } from "../model/node/classifier-files";
import { gitCommit } from "../model/node/metadata";
import { useTrainingBackend } from "../model/node/native-conv";
import { loadTrainable } from "../model/node/files";
import { gridPng } from "../model/node/png";
import { loadQuickDraw } from "../model/node/quickdraw";
import { DEFAULT_REFINE, refineCodes } from "../model/refine";
import { shippedVersion } from "../server/http/model-files";
import { FRAMES_PER_MORPH } from "../app/lib/dance-frames";
import { packFrames, type HomeDanceAsset, type HomeDanceDoodle } from "../app/lib/home-dance";

const { values: args } = parseArgs({
  options: {
    out: { type: "string", default: "app/lib/home-dance.json" },
    preview: { type: "string" },
  },
});

const WEIGHTS = "model/weights/alpha-gan";
/** Game words (model/weights/classifier/categories.json) with shapes a visitor names at a glance, in dance order. */
const WORDS = ["cat", "bicycle", "house", "guitar", "airplane", "camera"];
const ATTRIBUTION = "Doodles from the Quick, Draw! dataset by Google (https://quickdraw.withgoogle.com/data), licensed CC BY 4.0.";

console.log(`conv kernels: ${await useTrainingBackend()}`);
const net = await loadTrainable(WEIGHTS);
const model: DoodleModel = { cfg: net.cfg, encoder: net.encoder, generator: net.generator };
const side = model.cfg.imageSize;
const classifier = await loadClassifierDir();
if (classifier.model.inputs[0]?.shape[1] !== side) throw new Error("the classifier and the alpha-GAN see bitmaps of different sizes");

/** The encoder's codes, refined per doodle as the room refines them. */
function refinedCodes(samples: readonly Sample[]): { codes: Float32Array[]; targets: Float32Array } {
  const targets = rasterizeSamples(samples.map((s) => s.drawing), side, null);
  const start = encodeDrawings(model, samples.map((s) => s.drawing));
  const refined = tf.tidy(() => {
    const flat = tf.tensor2d(start.flatMap((c) => Array.from(c)), [start.length, model.cfg.latentDim]);
    return refineCodes(model.generator, tf.tensor4d(targets, [samples.length, side, side, 1]), flat, DEFAULT_REFINE).dataSync() as Float32Array;
  });
  const d = model.cfg.latentDim;
  return { codes: samples.map((_, i) => refined.slice(i * d, (i + 1) * d)), targets };
}

/** The classifier's (the game's AI guesser's) probability that each bitmap is `word`. */
function probabilityOf(word: string, bitmaps: Float32Array, n: number): Float32Array {
  const label = classifier.categories.indexOf(word);
  if (label < 0) throw new Error(`${word} is not a game word`);
  return tf.tidy(() => {
    const probs = tf.softmax(classifier.model.predict(tf.tensor4d(bitmaps, [n, side, side, 1])) as tf.Tensor2D);
    return tf.gather(probs, label, 1).dataSync() as Float32Array;
  });
}

/**
 * The most legible held-out doodle of a word: of the recognized ones, the one the AI guesser is
 * surest of, both as drawn and as the model redraws it (its refined code decoded), since the dance
 * shows both. Ties go to the smaller key.
 */
function pick(word: string, samples: readonly Sample[]): { sample: Sample; code: Float32Array; score: number } {
  const { codes, targets } = refinedCodes(samples);
  const decoded = decodeCodes(model, codes);
  const drawn = probabilityOf(word, targets, samples.length);
  const redrawn = probabilityOf(word, Float32Array.from(decoded.flatMap((d) => Array.from(d))), samples.length);
  let best = 0, bestScore = -1;
  samples.forEach((s, i) => {
    const score = Math.min(drawn[i]!, redrawn[i]!);
    if (score > bestScore || (score === bestScore && s.key < samples[best]!.key)) [best, bestScore] = [i, score];
  });
  return { sample: samples[best]!, code: codes[best]!, score: bestScore };
}

// The split is per category and by key, so loading only these words keeps every doodle's side of it.
const { heldOut } = splitHeldOut(await loadQuickDraw(undefined, WORDS));
const picks = WORDS.map((word) => {
  const candidates = heldOut.filter((s) => s.category === word && s.recognized).sort((a, b) => (a.key < b.key ? -1 : 1));
  const p = pick(word, candidates);
  console.log(`${word}: key ${p.sample.key}, guesser ${(100 * p.score).toFixed(1)}% sure (best of ${candidates.length} held-out)`);
  return p;
});

// Segment i: doodle i morphing into doodle i + 1 (the last back into the first), as in a room.
const segments = picks.map((p, i) => decodeCodes(model, morphPath(p.code, picks[(i + 1) % picks.length]!.code, FRAMES_PER_MORPH)));

const article = (word: string) => (/^[aeiou]/.test(word) ? "an" : "a");
const doodles = picks.map(({ sample }): HomeDanceDoodle => ({
  word: sample.category,
  keyId: sample.key,
  caption: `${article(sample.category)} ${sample.category}`,
  strokes: sample.drawing.map(([xs, ys]) => xs.map((x, k): [number, number] => [x, ys[k]!])),
}));
const trained = JSON.parse(await readFile(`${WEIGHTS}/metadata.json`, "utf8")) as { commit?: string };
const asset: HomeDanceAsset = {
  attribution: ATTRIBUTION,
  model: { version: (await shippedVersion()).version, trainedAt: trained.commit ?? null, madeAt: gitCommit().commit },
  side,
  framesPerMorph: FRAMES_PER_MORPH,
  doodles,
  frames: packFrames(segments),
};
const json = `${JSON.stringify(asset)}\n`;
await writeFile(args.out, json);
console.log(`${args.out}: ${json.length} bytes (${doodles.length} doodles, ${segments.length * FRAMES_PER_MORPH} frames)`);
if (args.preview) {
  await writeFile(args.preview, gridPng(segments.map((frames, i) => [rasterizeSamples([picks[i]!.sample.drawing], side, null), ...frames]), side));
  console.log(`preview: ${args.preview}`);
}
