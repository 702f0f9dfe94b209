// Every random choice in training is a pure function of (run seed, step, purpose), so a resumed run
// draws exactly what an uninterrupted one would, without saving generator state.
import { seededRandom, type Random } from "../common/random";

export type { Random };

/** 32-bit mix of several integers (murmur3 finalizer per word): derives independent seeds. */
export function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    let k = Math.imul(p >>> 0, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export function rngFor(...parts: number[]): Random {
  return seededRandom(mixSeed(...parts));
}

/** Hash of a string (FNV-1a), for seeding by key. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Fisher-Yates with a seeded generator. */
export function shuffled<T>(items: readonly T[], rng: Random): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Standard normal by Box-Muller. */
export function gaussian(rng: Random): number {
  const u = 1 - rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** Purposes, so streams drawn for different uses never coincide. */
export const Purpose = { init: 1, prior: 2, order: 3, augment: 4, split: 5, eval: 6 } as const;
