// Worker thread: holds the shipped classifier on tfjs's WASM backend and answers guesses, so
// classifying a doodle (a few ms) never runs on the game server's event loop.
import { parentPort, workerData } from "node:worker_threads";
import { useBackend } from "../../model/backend";
import { guessDrawing, type Classifier } from "../../model/classifier";
import { loadClassifierDir } from "../../model/node/classifier-files";
import type { FromRecognizer, ToRecognizer } from "./recognizer";

const port = parentPort!;
let classifier: Classifier;
try {
  await useBackend("wasm");
  classifier = await loadClassifierDir((workerData as { dir: string }).dir);
  port.postMessage({ type: "ready", categories: classifier.categories.length } satisfies FromRecognizer);
} catch (err) {
  port.postMessage({ type: "failed", message: err instanceof Error ? err.message : String(err) } satisfies FromRecognizer);
  process.exit(1);
}

port.on("message", (m: ToRecognizer) => {
  try {
    port.postMessage({ type: "guesses", id: m.id, guesses: guessDrawing(classifier, m.drawing, m.k) } satisfies FromRecognizer);
  } catch (err) {
    port.postMessage({ type: "error", id: m.id, message: err instanceof Error ? err.message : String(err) } satisfies FromRecognizer);
  }
});
