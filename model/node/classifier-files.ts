// Node-only: the classifier on disk. Shipped form (model/weights/classifier/): model.json +
// weights.bin (tfjs layers format, what the browser loads), categories.json (label order, also
// the game's word list) and metadata.json. Checkpoints add the Adam state and the run's state.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { CLASSIFIER_FILES, type Classifier } from "../classifier";
import { optimizerFromBytes, optimizerToBytes } from "../serialize";
import { loadModelDir, replaceCheckpoint, saveModelDir } from "./files";

import { SHIPPED_CLASSIFIER_DIR } from "./weights-dirs";

export { SHIPPED_CLASSIFIER_DIR };

export async function saveClassifier(classifier: Classifier, dir: string, metadata?: object): Promise<void> {
  await saveModelDir(classifier.model, dir);
  await writeFile(join(dir, CLASSIFIER_FILES.categories), JSON.stringify(classifier.categories, null, 1) + "\n");
  if (metadata) await writeFile(join(dir, CLASSIFIER_FILES.metadata), JSON.stringify(metadata, null, 2) + "\n");
}

export async function loadClassifierDir(dir = SHIPPED_CLASSIFIER_DIR): Promise<Classifier> {
  const categories = JSON.parse(await readFile(join(dir, CLASSIFIER_FILES.categories), "utf8")) as string[];
  const model = await loadModelDir(dir);
  const outputs = model.outputs[0]?.shape[1];
  if (outputs !== categories.length) throw new Error(`${dir}: ${outputs} outputs but ${categories.length} categories`);
  return { model, categories };
}

export interface ClassifierCheckpoint<S> { classifier: Classifier; state: S }

/** <dir>/checkpoint: the model, categories, Adam state and `state`; replaces the previous one only once complete. */
export async function saveClassifierCheckpoint(dir: string, classifier: Classifier, opt: tf.Optimizer, state: object): Promise<void> {
  await replaceCheckpoint(dir, async (fresh) => {
    await saveClassifier(classifier, fresh);
    const { specs, bin } = await optimizerToBytes(opt);
    await writeFile(join(fresh, "optimizer.json"), JSON.stringify(specs));
    await writeFile(join(fresh, "optimizer.bin"), Buffer.from(bin));
    await writeFile(join(fresh, "state.json"), JSON.stringify(state, null, 2));
  });
}

/** The last complete checkpoint in dir (Adam state restored into `opt`), or null. */
export async function loadClassifierCheckpoint<S>(dir: string, opt: (state: S) => tf.Optimizer): Promise<(ClassifierCheckpoint<S> & { optimizer: tf.Optimizer }) | null> {
  for (const name of ["checkpoint", "checkpoint.old"]) {
    const path = join(dir, name);
    const text = await readFile(join(path, "state.json"), "utf8").catch(() => null);
    if (text === null) continue;
    const state = JSON.parse(text) as S;
    const classifier = await loadClassifierDir(path);
    const optimizer = opt(state);
    const bin = await readFile(join(path, "optimizer.bin"));
    const specs = JSON.parse(await readFile(join(path, "optimizer.json"), "utf8")) as tf.io.WeightsManifestEntry[];
    // Adam matches moments to variables by position: the trainer passes the weights in model order.
    await optimizerFromBytes(optimizer, { specs, bin: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer });
    return { classifier, state, optimizer };
  }
  return null;
}
