// The doodle classifier: the game's AI guesser ("I see... a cat?"), the server's check of a
// player's recognition claim, and the recognizability measure of the model's evaluation. Same
// rasterizer and input as the alpha-GAN (28x28, ink = 1). Browser-safe: no node: imports
// (model/node/classifier-files.ts loads it from disk in Node).
import * as tf from "@tensorflow/tfjs";
import type { Guess } from "./guess";
export { isRecognized, type Guess } from "./guess";
import { rasterize, type Drawing } from "./rasterize";
import { mixSeed, Purpose } from "./seeds";

export const CLASSIFIER_IMAGE_SIZE = 28;

/** Conv widths (each conv3x3 + ReLU + 2x2 max-pool) and the hidden dense layer's units. */
export interface ClassifierArch { filters: number[]; hidden: number }
export const DEFAULT_CLASSIFIER_ARCH: ClassifierArch = { filters: [16, 32, 64], hidden: 128 };

/**
 * conv-pool stages, flatten, dense + ReLU, dense logits. No dropout: tfjs's seeded dropout draws
 * the same mask at every step, and an unseeded one would break "same seed, same weights";
 * augmentation and class-balanced batches do the regularising instead.
 */
export function buildClassifier(imageSize: number, classes: number, seed: number, arch: ClassifierArch = DEFAULT_CLASSIFIER_ARCH): tf.LayersModel {
  const init = (n: number) => tf.initializers.heNormal({ seed: mixSeed(seed, Purpose.init, 100 + n) });
  const x = tf.input({ shape: [imageSize, imageSize, 1] });
  let h = x as tf.SymbolicTensor;
  arch.filters.forEach((filters, i) => {
    h = tf.layers.conv2d({ filters, kernelSize: 3, padding: "same", activation: "relu", kernelInitializer: init(i) }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.maxPooling2d({ poolSize: 2 }).apply(h) as tf.SymbolicTensor;
  });
  h = tf.layers.flatten().apply(h) as tf.SymbolicTensor;
  h = tf.layers.dense({ units: arch.hidden, activation: "relu", kernelInitializer: init(arch.filters.length) }).apply(h) as tf.SymbolicTensor;
  const y = tf.layers.dense({ units: classes, kernelInitializer: tf.initializers.glorotNormal({ seed: mixSeed(seed, Purpose.init, 199) }) }).apply(h) as tf.SymbolicTensor;
  return tf.model({ name: "classifier", inputs: x, outputs: y });
}

/** One update on a batch (images [n, s, s, 1], integer labels); returns the cross-entropy. */
export function trainClassifierStep(model: tf.LayersModel, opt: tf.Optimizer, x: tf.Tensor4D, labels: Int32Array, classes: number): number {
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const loss = opt.minimize(() => tf.tidy(() => {
    const logits = model.apply(x, { training: true }) as tf.Tensor2D;
    return tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(labels, "int32"), classes), logits) as tf.Scalar;
  }), true, vars) as tf.Scalar;
  const v = loss.dataSync()[0] as number;
  loss.dispose();
  return v;
}

/** Top-k class indices per image, in batches to bound memory. */
export function topK(model: tf.LayersModel, images: tf.Tensor4D, k: number, batch = 256): { indices: Int32Array; maxProb: Float32Array } {
  const n = images.shape[0];
  const indices = new Int32Array(n * k), maxProb = new Float32Array(n);
  for (let i = 0; i < n; i += batch) {
    const m = Math.min(batch, n - i);
    tf.tidy(() => {
      const probs = tf.softmax(model.predict(tf.slice(images, [i, 0, 0, 0], [m, -1, -1, -1])) as tf.Tensor2D);
      const top = tf.topk(probs, k);
      indices.set(top.indices.dataSync(), i * k);
      maxProb.set(tf.max(probs, 1).dataSync(), i);
    });
  }
  return { indices, maxProb };
}

/** A trained classifier and its label order (categories[i] is output i). */
export interface Classifier { model: tf.LayersModel; categories: readonly string[] }

/** The classifier's k best guesses for one doodle, best first; none for an empty canvas. */
export function guessDrawing(classifier: Classifier, drawing: Drawing, k = 3): Guess[] {
  if (!drawing.some(([xs]) => xs.length > 0)) return [];
  const s = CLASSIFIER_IMAGE_SIZE;
  const pixels = rasterize(drawing, s);
  return tf.tidy(() => {
    const probs = tf.softmax(classifier.model.predict(tf.tensor4d(pixels, [1, s, s, 1])) as tf.Tensor2D);
    const top = tf.topk(probs, Math.min(k, classifier.categories.length));
    const idx = top.indices.dataSync(), p = top.values.dataSync();
    return Array.from(idx, (c, i) => ({ word: classifier.categories[c] as string, probability: p[i] as number }));
  });
}

/** Files of a shipped classifier, relative to its folder (model/weights/classifier/). */
export const CLASSIFIER_FILES = { model: "model.json", categories: "categories.json", metadata: "metadata.json" } as const;

/** Browser: loads <baseUrl>/model.json (+ weights.bin) and <baseUrl>/categories.json. */
export async function loadClassifier(baseUrl: string): Promise<Classifier> {
  const root = baseUrl.replace(/\/$/, "");
  const [model, categories] = await Promise.all([
    tf.loadLayersModel(`${root}/${CLASSIFIER_FILES.model}`),
    fetch(`${root}/${CLASSIFIER_FILES.categories}`).then((r) => {
      if (!r.ok) throw new Error(`classifier categories: HTTP ${r.status}`);
      return r.json() as Promise<string[]>;
    }),
  ]);
  return { model, categories };
}

export interface Accuracy { n: number; top1: number; top5: number }
export interface AccuracyReport {
  /** Over all doodles (categories with more held-out doodles weigh more). */
  overall: Accuracy;
  /** Mean of the per-category figures: every word counts the same, as in the game. */
  meanOverCategories: { top1: number; top5: number };
  perCategory: Record<string, Accuracy>;
}

/** Top-1 and top-5 of the classifier on labelled doodles, overall and per category. */
export function measureAccuracy(classifier: Classifier, samples: readonly { category: string; drawing: Drawing }[]): AccuracyReport {
  const s = CLASSIFIER_IMAGE_SIZE, k = Math.min(5, classifier.categories.length);
  const label = new Map(classifier.categories.map((c, i) => [c, i]));
  const known = samples.filter((x) => label.has(x.category));
  const pixels = new Float32Array(known.length * s * s);
  known.forEach((x, i) => rasterize(x.drawing, s, pixels.subarray(i * s * s, (i + 1) * s * s)));
  const images = tf.tensor4d(pixels, [known.length, s, s, 1]);
  const { indices } = topK(classifier.model, images, k);
  images.dispose();
  const counts = new Map<string, { n: number; top1: number; top5: number }>();
  known.forEach((x, i) => {
    const want = label.get(x.category) as number;
    const row = indices.subarray(i * k, (i + 1) * k);
    const c = counts.get(x.category) ?? { n: 0, top1: 0, top5: 0 };
    c.n++;
    if (row[0] === want) c.top1++;
    if (row.includes(want)) c.top5++;
    counts.set(x.category, c);
  });
  const perCategory: Record<string, Accuracy> = {};
  let top1 = 0, top5 = 0;
  for (const [cat, c] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
    perCategory[cat] = { n: c.n, top1: c.top1 / c.n, top5: c.top5 / c.n };
    top1 += c.top1;
    top5 += c.top5;
  }
  const cats = Object.values(perCategory);
  const mean = (f: (a: Accuracy) => number) => cats.reduce((sum, a) => sum + f(a), 0) / Math.max(1, cats.length);
  return {
    overall: { n: known.length, top1: top1 / Math.max(1, known.length), top5: top5 / Math.max(1, known.length) },
    meanOverCategories: { top1: mean((a) => a.top1), top5: mean((a) => a.top5) },
    perCategory,
  };
}
