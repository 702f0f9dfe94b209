// Seedable randomness, so rules, models and tests that pick words, codes or samples are reproducible.
// Here, apart from game/ and model/, because both use it and neither should depend on the other.
export type Random = () => number;

/** mulberry32: tiny, fast, good enough for picking words; not for secrets. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
