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
export async function loadDoodleModel(
  baseUrl: string,
  net: "alpha-gan" | "ae" = "alpha-gan",
  /** How to load one part's model.json (the browser adds an IndexedDB cache and progress); default tf.loadLayersModel. */
  loadPart: (url: string, part: "encoder" | "generator") => Promise<tf.LayersModel> = (url) => tf.loadLayersModel(url),
): Promise<DoodleModel> {
  const root = `${baseUrl.replace(/\/$/, "")}/${net}`;
  const meta = (await (await fetch(`${root}/trainable.json`)).json()) as { config: ModelConfig };
  const [encoder, generator] = await Promise.all([
    loadPart(`${root}/encoder/model.json`, "encoder"),
    loadPart(`${root}/generator/model.json`, "generator"),
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
  if (codes.length === 0) return [];
  const images = generate(model, codes);
  const out = images.dataSync() as Float32Array;
  images.dispose();
  return splitImages(model, out, codes.length);
}

/**
 * decodeCodes without blocking the page while a GPU backend works: on WebGL/WebGPU the read-back
 * waits asynchronously, so animation frames keep coming (on WASM and CPU it is the same work).
 */
export async function decodeCodesAsync(model: DoodleModel, codes: readonly Float32Array[]): Promise<Float32Array[]> {
  if (codes.length === 0) return [];
  const images = generate(model, codes);
  try {
    return splitImages(model, (await images.data()) as Float32Array, codes.length);
  } finally {
    images.dispose();
  }
}

function generate(model: DoodleModel, codes: readonly Float32Array[]): tf.Tensor {
  const d = model.cfg.latentDim;
  const flat = new Float32Array(codes.length * d);
  codes.forEach((c, i) => flat.set(c, i * d));
  return tf.tidy(() => model.generator.predict(tf.tensor2d(flat, [codes.length, d])) as tf.Tensor);
}

function splitImages(model: DoodleModel, flat: Float32Array, n: number): Float32Array[] {
  const s = model.cfg.imageSize;
  return Array.from({ length: n }, (_, i) => flat.slice(i * s * s, (i + 1) * s * s));
}

/** Point t of the way from code a to code b (0 = a, 1 = b): the morph the game animates. */
export function mixCodes(a: Float32Array, b: Float32Array, t: number): Float32Array {
  return a.map((v, i) => v + t * ((b[i] as number) - v));
}
