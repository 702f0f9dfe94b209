// Models to and from the tfjs model.json + binary format, and optimizer state to bytes, without
// touching any file system (Node writes the files in model/node/, the browser fetches them).
import * as tf from "@tensorflow/tfjs";
import { buildCodeDiscriminator, buildEncoder, buildGenerator, buildImageDiscriminator } from "./networks";
import { adam, type AlphaGan, type Autoencoder, type Trainable } from "./alpha-gan";
import type { ModelConfig } from "./config";

export const WEIGHTS_FILE = "weights.bin";

export interface ModelFiles { json: tf.io.ModelJSON; bin: ArrayBuffer }

export async function modelToFiles(model: tf.LayersModel): Promise<ModelFiles> {
  let files: ModelFiles | null = null;
  await model.save(tf.io.withSaveHandler(async (a) => {
    const bin = tf.io.concatenateArrayBuffers(Array.isArray(a.weightData) ? a.weightData : [a.weightData as ArrayBuffer]);
    files = {
      json: {
        modelTopology: a.modelTopology as object,
        format: "layers-model",
        generatedBy: a.generatedBy,
        convertedBy: null,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: a.weightSpecs ?? [] }],
      },
      bin,
    };
    return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) };
  }));
  if (!files) throw new Error("model save produced nothing");
  return files;
}

export async function modelFromFiles(files: ModelFiles): Promise<tf.LayersModel> {
  return tf.loadLayersModel(tf.io.fromMemory({
    modelTopology: files.json.modelTopology,
    weightSpecs: files.json.weightsManifest.flatMap((g) => g.weights),
    weightData: files.bin,
  }));
}

export interface OptimizerBytes { specs: tf.io.WeightsManifestEntry[]; bin: ArrayBuffer }

/** Adam's iteration count and moments, in variable order (Adam restores them by position). */
export async function optimizerToBytes(opt: tf.Optimizer): Promise<OptimizerBytes> {
  const weights = await opt.getWeights();
  const { data, specs } = await tf.io.encodeWeights(weights);
  return { specs, bin: tf.io.concatenateArrayBuffers(Array.isArray(data) ? data : [data]) };
}

export async function optimizerFromBytes(opt: tf.Optimizer, bytes: OptimizerBytes): Promise<void> {
  const map = tf.io.decodeWeights(bytes.bin, bytes.specs);
  await opt.setWeights(bytes.specs.map((s) => ({ name: s.name, tensor: map[s.name] as tf.Tensor })));
}

export const PARTS = ["encoder", "generator", "discriminator", "codeDiscriminator"] as const;
export type Part = (typeof PARTS)[number];

export function partsOf(net: Trainable): Partial<Record<Part, tf.LayersModel>> {
  return net.kind === "ae"
    ? { encoder: net.encoder, generator: net.generator }
    : { encoder: net.encoder, generator: net.generator, discriminator: net.discriminator, codeDiscriminator: net.codeDiscriminator };
}

/** Rebuilds a trainable from loaded parts (missing discriminators are built fresh from the config). */
export function trainableFromParts(
  kind: Trainable["kind"], cfg: ModelConfig, parts: Partial<Record<Part, tf.LayersModel>>,
): Trainable {
  const encoder = parts.encoder ?? buildEncoder(cfg);
  const generator = parts.generator ?? buildGenerator(cfg);
  if (kind === "ae") return { kind, cfg, encoder, generator, optimizers: { eg: adam(cfg) } } satisfies Autoencoder;
  return {
    kind, cfg, encoder, generator,
    discriminator: parts.discriminator ?? buildImageDiscriminator(cfg),
    codeDiscriminator: parts.codeDiscriminator ?? buildCodeDiscriminator(cfg),
    optimizers: { eg: adam(cfg), d: adam(cfg), c: adam(cfg, cfg.codeDiscriminatorLrScale) },
  } satisfies AlphaGan;
}
