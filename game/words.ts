// The prompt words: Quick, Draw! categories we hold enough doodles of, so the model and the
// AI guesser know them. Categories with more drawings come up more often.
import manifest from "../data/quickdraw/manifest.json";
import type { Random } from "./random";

/** Below this many drawings a category is too thin for the model to know it. */
export const MIN_DRAWINGS_FOR_WORD = 40;

export type WeightedWord = { word: string; weight: number };

export function buildWordList(
  counts: Record<string, number>,
  minDrawings = MIN_DRAWINGS_FOR_WORD,
): WeightedWord[] {
  return Object.entries(counts)
    .filter(([, count]) => count >= minDrawings)
    // sqrt damps the 2,000 cats against the 40-drawing categories without ignoring size.
    .map(([word, count]) => ({ word, weight: Math.sqrt(count) }))
    .sort((a, b) => a.word.localeCompare(b.word));
}

export const WORDS: readonly WeightedWord[] = buildWordList(
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
