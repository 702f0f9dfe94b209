// The browser's AI guesser: the shipped classifier on the page's tfjs backend (tf-backend.ts),
// loaded on first use in their own chunk so pages that never draw don't pay for them. Also the
// words it says.
import { CLASSIFIER_URL, type Stroke } from "../../protocol";
import type { Guess } from "../../model/guess";
import { tfBackend } from "./tf-backend";
import { formsOf } from "../../game/word-forms";

export type { Guess };
export type Guesser = {
  /** Best guesses for a doodle, best first, and how long the call took (rasterize + classify). */
  guess(strokes: readonly Stroke[], k?: number): { guesses: Guess[]; ms: number };
  backend: string;
};

let loading: Promise<Guesser> | null = null;

export function loadGuesser(): Promise<Guesser> {
  loading ??= (async () => {
    const [{ backend }, { loadClassifier, guessDrawing }, { drawingFromPoints }] = await Promise.all([
      tfBackend(),
      import("../../model/classifier"),
      import("../../model/rasterize"),
    ]);
    const classifier = await loadClassifier(CLASSIFIER_URL);
    return {
      backend,
      guess(strokes, k = 3) {
        const t0 = performance.now();
        const guesses = guessDrawing(classifier, drawingFromPoints(strokes), k);
        return { guesses, ms: performance.now() - t0 };
      },
    };
  })();
  // A failed load (offline, say) is tried again by the next round's guesser.
  loading.catch(() => (loading = null));
  return loading;
}

/** What the AI says: "I see... a guitar? or a television?"; nothing to say for no guesses. */
export function guessSentence(guesses: readonly Guess[]): string {
  if (guesses.length === 0) return "";
  const [first, ...rest] = guesses.map((g) => `${formsOf(g.word).one}?`);
  return [`I see... ${first}`, ...rest.map((r) => `or ${r}`)].join(" ");
}

/** What the AI says when its top guess is the word. */
export function recognizedSentence(word: string): string {
  return `Oh, I know! It's ${formsOf(word).one}!`;
}

/** "4.2 s" */
export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
