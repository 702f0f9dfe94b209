// Inference for the game (browser) and the server: load the shipped encoder + generator, turn
// strokes into codes and codes into bitmaps. Training is elsewhere (alpha-gan.ts, train-loop.ts).
import * as tf from "@tensorflow/tfjs";
import type { ModelConfig } from "./config";
// Registers the generator's custom InkRange layer, which loading its model.json needs.
import "./networks";
import { rasterize, type Drawing } from "./rasterize";

export interface DoodleModel { cfg: ModelConfig; encoder: tf.LayersModel; generator: tf.LayersModel }

/**
 * Loads <baseUrl>/<net>/{trainable.json, encoder/model.json, generator/model.json}, the layout
 * `npm run train -- --export DIR` writes (model/weights/ in the repo; serve it statically).
 */
export async function loadDoodleModel(baseUrl: string, net: "alpha-gan" | "ae" = "alpha-gan"): Promise<DoodleModel> {
  const root = `${baseUrl.replace(/\/$/, "")}/${net}`;
  const meta = (await (await fetch(`${root}/trainable.json`)).json()) as { config: ModelConfig };
  const [encoder, generator] = await Promise.all([
    tf.loadLayersModel(`${root}/encoder/model.json`),
    tf.loadLayersModel(`${root}/generator/model.json`),
  ]);
  return { cfg: meta.config, encoder, generator };
}

/** Latent codes of doodles, rasterized exactly as in training. */
export function encodeDrawings(model: DoodleModel, drawings: readonly Drawing[]): Float32Array[] {
  const s = model.cfg.imageSize;
  if (drawings.length === 0) return [];
  const pixels = new Float32Array(drawings.length * s * s);
  drawings.forEach((d, i) => rasterize(d, s, pixels.subarray(i * s * s, (i + 1) * s * s)));
  const z = tf.tidy(() => (model.encoder.predict(tf.tensor4d(pixels, [drawings.length, s, s, 1])) as tf.Tensor).dataSync() as Float32Array);
  const d = model.cfg.latentDim;
  return drawings.map((_, i) => z.slice(i * d, (i + 1) * d));
}

/** Bitmaps (size*size, ink 0..1) of latent codes. */
export function decodeCodes(model: DoodleModel, codes: readonly Float32Array[]): Float32Array[] {
  const s = model.cfg.imageSize, d = model.cfg.latentDim;
  if (codes.length === 0) return [];
  const flat = new Float32Array(codes.length * d);
  codes.forEach((c, i) => flat.set(c, i * d));
  const out = tf.tidy(() => (model.generator.predict(tf.tensor2d(flat, [codes.length, d])) as tf.Tensor).dataSync() as Float32Array);
  return codes.map((_, i) => out.slice(i * s * s, (i + 1) * s * s));
}

/** Point t of the way from code a to code b (0 = a, 1 = b): the morph the game animates. */
export function mixCodes(a: Float32Array, b: Float32Array, t: number): Float32Array {
  return a.map((v, i) => v + t * ((b[i] as number) - v));
}
