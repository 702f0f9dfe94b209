// Dataset handling that does not touch the file system (the browser and the fine-tune job use it
// too): the fixed held-out split, stroke augmentation and batch assembly.
import type { Drawing } from "./rasterize";
import { rasterize } from "./rasterize";
import { hashString, mixSeed, Purpose, rngFor, shuffled, type Random } from "./seeds";

export interface Sample { category: string; key: string; recognized: boolean; drawing: Drawing }

export const HELD_OUT_FRACTION = 0.1;
/** The split depends on this seed only, never on the training seed: held-out doodles stay held out. */
export const SPLIT_SEED = 20171027;

/**
 * Per category, the ceil(10%) drawings with the smallest hash of (split seed, key) are held out.
 * Depends only on each drawing's key, so file order and added categories do not move it.
 */
export function splitHeldOut(samples: readonly Sample[], fraction = HELD_OUT_FRACTION): { train: Sample[]; heldOut: Sample[] } {
  const byCategory = new Map<string, Sample[]>();
  for (const s of samples) {
    const list = byCategory.get(s.category) ?? [];
    list.push(s);
    byCategory.set(s.category, list);
  }
  const held = new Set<Sample>();
  for (const list of byCategory.values()) {
    const ranked = list
      .map((s) => ({ s, h: mixSeed(SPLIT_SEED, Purpose.split, hashString(s.key)) }))
      .sort((a, b) => a.h - b.h || (a.s.key < b.s.key ? -1 : 1));
    for (const { s } of ranked.slice(0, Math.ceil(list.length * fraction))) held.add(s);
  }
  return { train: samples.filter((s) => !held.has(s)), heldOut: samples.filter((s) => held.has(s)) };
}

export interface AugmentOptions { maxRotation: number; maxScale: number; maxShear: number }
export const DEFAULT_AUGMENT: AugmentOptions = { maxRotation: (8 * Math.PI) / 180, maxScale: 0.1, maxShear: 0.1 };

/**
 * Small random affine jitter of the strokes (rotation, per-axis scale, shear). Translation and
 * uniform scale are left out: the rasterizer's normalisation would undo them.
 */
export function augmentDrawing(drawing: Drawing, rng: Random, opts: AugmentOptions = DEFAULT_AUGMENT): Drawing {
  const u = () => rng() * 2 - 1;
  const angle = u() * opts.maxRotation;
  const sx = 1 + u() * opts.maxScale, sy = 1 + u() * opts.maxScale, shear = u() * opts.maxShear;
  const cos = Math.cos(angle), sin = Math.sin(angle);
  // M = R * Shear * Scale, about the box centre.
  const a = cos * sx, b = (cos * shear - sin) * sy, c = sin * sx, d = (sin * shear + cos) * sy;
  return drawing.map(([xs, ys]) => {
    const nx: number[] = [], ny: number[] = [];
    for (let i = 0; i < xs.length; i++) {
      const x = (xs[i] as number) - 128, y = (ys[i] as number) - 128;
      nx.push(a * x + b * y + 128);
      ny.push(c * x + d * y + 128);
    }
    return [nx, ny];
  });
}

/**
 * The drawings of one training batch: epoch-wise seeded permutations of the training set, so the
 * batch for (seed, step, update) is fixed and a resumed run continues the same sequence.
 */
export class BatchSampler {
  private epoch = -1;
  private order: number[] = [];

  constructor(private readonly size: number, private readonly seed: number) {}

  indices(position: number, batchSize: number): number[] {
    const out: number[] = [];
    for (let p = position * batchSize; out.length < batchSize; p++) {
      const epoch = Math.floor(p / this.size);
      if (epoch !== this.epoch) {
        this.epoch = epoch;
        this.order = shuffled([...Array(this.size).keys()], rngFor(this.seed, Purpose.order, epoch));
      }
      out.push(this.order[p % this.size] as number);
    }
    return out;
  }
}

/** Rasterised batch [n * size * size] of the given drawings, augmented when rng is given. */
export function rasterizeSamples(drawings: readonly Drawing[], size: number, rng: Random | null): Float32Array {
  const out = new Float32Array(drawings.length * size * size);
  drawings.forEach((d, k) => {
    rasterize(rng ? augmentDrawing(d, rng) : d, size, out.subarray(k * size * size, (k + 1) * size * size));
  });
  return out;
}

/**
 * One class-balanced batch: each row picks a category uniformly, then one of its drawings, both
 * from rng. The classes hold 40 to 2,000 drawings; sampled in proportion, the classifier would
 * learn to answer "cat". `byCategory[c]` lists the indices of category c's drawings.
 */
export function balancedBatch(byCategory: readonly (readonly number[])[], batchSize: number, rng: Random): { indices: number[]; labels: number[] } {
  const indices: number[] = [], labels: number[] = [];
  while (indices.length < batchSize) {
    const c = Math.floor(rng() * byCategory.length);
    const list = byCategory[c] as readonly number[];
    if (list.length === 0) continue;
    indices.push(list[Math.floor(rng() * list.length)] as number);
    labels.push(c);
  }
  return { indices, labels };
}
