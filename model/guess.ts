// What the classifier answers and the game's rule on it, without tfjs: the game server's main
// thread and the page's components use these; the classifier itself lives in classifier.ts.

export interface Guess { word: string; probability: number }

/** The game's rule: a doodle is recognized when the AI's top guess is the prompt word. */
export function isRecognized(guesses: readonly Guess[], word: string): boolean {
  return guesses[0]?.word === word;
}
