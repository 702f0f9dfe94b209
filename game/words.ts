// The prompt words: exactly the AI guesser's categories (its label order, shipped with its weights
// in model/weights/classifier/categories.json; `npm run train:classifier` picks the Quick, Draw!
// categories we hold enough doodles of), so every word can be recognized. Categories with more
// drawings come up more often.
import manifest from "../data/quickdraw/manifest.json";
import classifierCategories from "../model/weights/classifier/categories.json";
import type { Random } from "../common/random";

export type WeightedWord = { word: string; weight: number };

export function buildWordList(words: readonly string[], counts: Record<string, number>): WeightedWord[] {
  return words
    .map((word) => [word, counts[word] ?? 0] as const)
    // sqrt damps the 2,000 cats against the 40-drawing categories without ignoring size.
    .map(([word, count]) => ({ word, weight: Math.sqrt(count) }))
    .sort((a, b) => a.word.localeCompare(b.word));
}

export const WORDS: readonly WeightedWord[] = buildWordList(
  classifierCategories,
  Object.fromEntries(
    Object.entries((manifest as { categories: Record<string, { count: number }> }).categories).map(([k, v]) => [
      k,
      v.count,
    ]),
  ),
);

/** Weighted pick that avoids words already used this game (unless all are used). */
export function pickWord(words: readonly WeightedWord[], used: readonly string[], random: Random): string {
  const fresh = words.filter((w) => !used.includes(w.word));
  const pool = fresh.length > 0 ? fresh : words;
  if (pool.length === 0) throw new Error("empty word list");
  const total = pool.reduce((sum, w) => sum + w.weight, 0);
  let r = random() * total;
  for (const w of pool) {
    r -= w.weight;
    if (r < 0) return w.word;
  }
  return pool[pool.length - 1]!.word;
}
