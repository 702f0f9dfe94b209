"use client";
// The AI that guesses while you draw: runs the classifier on the player's finished strokes
// between frames (never inside a pointer event), shows its best guesses in words and, if the
// player turns it on, says them aloud. When its top guess is the word it tells the server, which
// checks that with the same classifier and answers with a recognition for everyone to see.
import { useEffect, useRef, useState } from "react";
import type { Stroke } from "../../protocol";
import { isRecognized } from "../../model/guess";
import { formatSeconds, guessSentence, loadGuesser, recognizedSentence, type Guess, type Guesser as Model } from "../lib/guesser";
import { local } from "../lib/storage";

type Props = {
  word: string;
  /** The player's strokes on the canvas (stored and unsent), in drawing order. */
  strokes: readonly Stroke[];
  /** When the server confirmed the AI recognized this doodle (ms into the round), else null. */
  recognizedAtMs: number | null;
  /** The AI's top guess was the word with the canvas ending at this stroke. */
  onRecognized: (strokeId: string) => void;
};

/** Alternatives below this probability are not worth saying. */
const MIN_ALTERNATIVE_PROBABILITY = 0.05;
const SPEAK_KEY = "doodle:speak-guesses";
const canSpeak = () => typeof window !== "undefined" && "speechSynthesis" in window;

export function Guesser({ word, strokes, recognizedAtMs, onRecognized }: Props) {
  const [model, setModel] = useState<Model | null>(null);
  const [failed, setFailed] = useState(false);
  const [guesses, setGuesses] = useState<Guess[]>([]);
  const [timing, setTiming] = useState<{ count: number; lastMs: number | null }>({ count: 0, lastMs: null });
  const [speak, setSpeak] = useState(false);
  const [speechAvailable, setSpeechAvailable] = useState(false);
  const claimed = useRef(new Set<string>());
  /** The stroke ids last guessed: a stroke moving from "unsent" to "stored" changes nothing to guess. */
  const guessedKey = useRef<string | null>(null);
  const onRecognizedRef = useRef(onRecognized);
  useEffect(() => {
    onRecognizedRef.current = onRecognized;
  });

  useEffect(() => {
    let live = true;
    loadGuesser().then(
      (m) => live && setModel(m),
      () => live && setFailed(true),
    );
    setSpeechAvailable(canSpeak());
    setSpeak(canSpeak() && local().get(SPEAK_KEY) === "on");
    return () => {
      live = false;
    };
  }, []);

  // Classify after the next paint: a stroke's last segment is on screen before any work starts,
  // and a burst of changes (a re-sent batch, an undo) costs one guess.
  useEffect(() => {
    const key = strokes.map((s) => s.id).join(",");
    if (!model || key === guessedKey.current) return;
    if (strokes.length === 0) {
      guessedKey.current = key;
      setGuesses([]);
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => {
        guessedKey.current = key;
        const { guesses: next, ms } = model.guess(strokes, 3);
        setGuesses(next);
        setTiming((t) => ({ count: t.count + 1, lastMs: ms }));
        const last = strokes.at(-1);
        if (last && isRecognized(next, word) && !claimed.current.has(last.id)) {
          claimed.current.add(last.id);
          onRecognizedRef.current(last.id);
        }
      }, 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [model, strokes, word]);

  const recognized = recognizedAtMs !== null;
  const shown = guesses.filter((g, i) => i === 0 || g.probability >= MIN_ALTERNATIVE_PROBABILITY);
  const sentence = recognized ? recognizedSentence(word) : guessSentence(shown);

  useEffect(() => {
    if (!speak || !sentence || !canSpeak()) return;
    window.speechSynthesis.cancel();
    window.speechSynthesis.speak(new SpeechSynthesisUtterance(sentence.replace("...", ",")));
  }, [speak, sentence]);
  useEffect(() => () => void (canSpeak() && window.speechSynthesis.cancel()), []);

  function toggleSpeech() {
    const next = !speak;
    setSpeak(next);
    local().set(SPEAK_KEY, next ? "on" : null);
    if (!next) window.speechSynthesis.cancel();
  }

  let text: string;
  if (failed) text = "The AI couldn't load, so it can't guess this time. Your doodle still counts.";
  else if (!model) text = "The AI is warming up…";
  else if (!sentence) text = "Start drawing: the AI guesses as you go.";
  else text = sentence;

  return (
    <div
      className={`guesser ${recognized ? "recognized" : ""}`}
      data-testid="guesser"
      data-top-guess={guesses[0]?.word ?? ""}
      data-recognized-at-ms={recognizedAtMs ?? ""}
      data-guess-count={timing.count}
      data-last-guess-ms={timing.lastMs === null ? "" : timing.lastMs.toFixed(2)}
      data-backend={model?.backend ?? ""}
    >
      <span className="guesser-face" aria-hidden="true">
        AI
      </span>
      <p className="guesser-text" aria-live="polite" data-testid="guesser-text">
        {text}
        {recognized && <span className="guesser-time"> Recognized in {formatSeconds(recognizedAtMs)}.</span>}
      </p>
      {speechAvailable && (
        <button
          type="button"
          className="btn small guesser-speak"
          aria-pressed={speak}
          onClick={toggleSpeech}
          aria-label="Say the AI's guesses aloud"
          title={speak ? "Stop saying the guesses aloud" : "Say the guesses aloud"}
          data-testid="speak-toggle"
        >
          <SpeakerIcon on={speak} /> Voice {speak ? "on" : "off"}
        </button>
      )}
    </div>
  );
}

/** A speaker, with sound waves when speech is on (drawn, so it looks the same without emoji fonts). */
function SpeakerIcon({ on }: { on: boolean }) {
  return (
    <svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round">
      <path d="M4 9h4l5-4v14l-5-4H4z" fill="currentColor" />
      {on ? <path d="M16.5 8.5a5 5 0 0 1 0 7M19 6a8.5 8.5 0 0 1 0 12" /> : <path d="M17 9l5 6M22 9l-5 6" />}
    </svg>
  );
}
