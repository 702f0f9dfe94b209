// The fine-tune job's evaluation of one model: reconstruction L1 and recognizability on the fixed
// held-out split and on the held-out part of the players' new doodles, and recognizability of
// same-category latent midpoints. Measures come from model/evaluate.ts, as in `npm run eval`.
import * as tf from "@tensorflow/tfjs";
import type { Trainable } from "../../model/alpha-gan";
import { topK, type Classifier } from "../../model/classifier";
import { rasterizeSamples } from "../../model/dataset";
import { firstOf, hitRate, meanL1, midpointPairs, midpoints, predictBatched } from "../../model/evaluate";
import type { Drawing } from "../../model/rasterize";
import type { Figures } from "../finetune/gate";

export type LabelledSet = { drawings: Drawing[]; categories: string[] };
/** Rasterized once, shared by the parent's and the candidate's evaluation. */
export type EvalSet = { images: tf.Tensor4D; labels: (number | null)[]; n: number };

const K = 5;

export function toEvalSet(set: LabelledSet, size: number, classifier: Classifier | null): EvalSet {
  const index = new Map(classifier?.categories.map((c, i) => [c, i]) ?? []);
  return {
    images: tf.tensor4d(rasterizeSamples(set.drawings, size, null), [set.drawings.length, size, size, 1]),
    labels: set.categories.map((c) => index.get(c) ?? null),
    n: set.drawings.length,
  };
}

/** top-1 and top-5 hit rates of images whose label the classifier knows; null without a classifier. */
function recognizability(classifier: Classifier | null, images: tf.Tensor4D, labels: (number | null)[]): { top1: number | null; top5: number | null } {
  const keep = labels.flatMap((l, i) => (l === null ? [] : [i]));
  if (!classifier || keep.length === 0) return { top1: null, top5: null };
  const known = tf.gather(images, keep) as tf.Tensor4D;
  const { indices } = topK(classifier.model, known, K);
  known.dispose();
  const accepted = keep.map((i) => [labels[i] as number]);
  return { top1: hitRate(firstOf(indices, K), 1, accepted), top5: hitRate(indices, K, accepted) };
}

function reconstruct(net: Trainable, images: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => predictBatched(net.generator, predictBatched(net.encoder, images)) as tf.Tensor4D);
}

function onSet(net: Trainable, set: EvalSet, classifier: Classifier | null): Figures["heldOut"] {
  if (set.n === 0) return { n: 0, l1: 0, top1: null, top5: null };
  const rec = reconstruct(net, set.images);
  try {
    return { n: set.n, l1: meanL1(rec, set.images), ...recognizability(classifier, rec, set.labels) };
  } finally {
    rec.dispose();
  }
}

export function evaluateNet(net: Trainable, sets: { heldOut: EvalSet; newHeldOut: EvalSet }, classifier: Classifier | null, seed: number): Figures {
  const labelled = sets.heldOut.labels.map((l) => l ?? -1);
  const pairs = midpointPairs(labelled, 500, seed).same.filter(([a]) => (labelled[a] as number) >= 0);
  let mid: Figures["midpoints"] = { n: pairs.length, top5: null };
  if (classifier && pairs.length > 0) {
    const images = midpoints(net.encoder, net.generator, sets.heldOut.images, pairs);
    mid = { n: pairs.length, top5: recognizability(classifier, images, pairs.map(([a]) => labelled[a] as number)).top5 };
    images.dispose();
  }
  return { heldOut: onSet(net, sets.heldOut, classifier), newHeldOut: onSet(net, sets.newHeldOut, classifier), midpoints: mid };
}

/** Rows for a before/after grid: the doodles, their reconstructions, midpoints of consecutive pairs. */
export function comparisonRows(net: Trainable, images: tf.Tensor4D): Float32Array[][] {
  const n = images.shape[0];
  const rec = reconstruct(net, images);
  const pairs = Array.from({ length: Math.max(0, n - 1) }, (_, i) => [i, i + 1] as [number, number]);
  const mids = pairs.length ? midpoints(net.encoder, net.generator, images, pairs) : null;
  const rows = (t: tf.Tensor4D | null) => (t ? tf.unstack(t).map((x) => { const d = x.dataSync() as Float32Array; x.dispose(); return d; }) : []);
  try {
    return [rows(images), rows(rec), rows(mids)];
  } finally {
    tf.dispose([rec, ...(mids ? [mids] : [])]);
  }
}
