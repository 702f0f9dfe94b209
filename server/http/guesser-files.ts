// Files the browser's AI guesser loads: the shipped classifier (model/weights/classifier/) and
// tfjs's WASM binaries (from the installed @tensorflow/tfjs-backend-wasm, so they always match
// the tfjs the page was built with). Only these names are served; nothing else from those folders.
import type { IncomingMessage, ServerResponse } from "node:http";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { SHIPPED_CLASSIFIER_DIR } from "../../model/node/weights-dirs";

// Paths as in CLASSIFIER_URL and TFJS_WASM_URL (protocol/limits.ts).
const CLASSIFIER_FILE = /^\/api\/classifier\/(model\.json|weights\.bin|categories\.json|metadata\.json)$/;
const WASM_FILE = /^\/api\/tfjs-wasm\/(tfjs-backend-wasm(?:-simd|-threaded-simd)?\.wasm)$/;

const wasmDir = () => dirname(createRequire(import.meta.url).resolve("@tensorflow/tfjs-backend-wasm/package.json"));
const files = new Map<string, Promise<{ body: Buffer; etag: string }>>();

function load(path: string): Promise<{ body: Buffer; etag: string }> {
  let file = files.get(path);
  if (!file) {
    file = readFile(path).then((body) => ({ body, etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"` }));
    // A missing file is looked up again next time rather than remembered.
    file.catch(() => files.delete(path));
    files.set(path, file);
  }
  return file;
}

/** Answers the request if it is one of the guesser's files; returns false otherwise. */
export async function handleGuesserFiles(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  const classifier = CLASSIFIER_FILE.exec(path);
  const wasm = classifier ? null : WASM_FILE.exec(path);
  if (!classifier && !wasm) return false;
  const file = classifier ? join(resolve(SHIPPED_CLASSIFIER_DIR), classifier[1]!) : join(wasmDir(), "dist", wasm![1]!);
  let loaded;
  try {
    loaded = await load(file);
  } catch {
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("No such file.");
    return true;
  }
  const type = path.endsWith(".json") ? "application/json" : path.endsWith(".wasm") ? "application/wasm" : "application/octet-stream";
  // Weights change when the classifier is retrained, under the same names: revalidate by ETag.
  const headers = { "content-type": type, etag: loaded.etag, "cache-control": "no-cache" };
  if (req.headers["if-none-match"] === loaded.etag) {
    res.writeHead(304, headers);
    res.end();
    return true;
  }
  res.writeHead(200, { ...headers, "content-length": loaded.body.length });
  res.end(req.method === "HEAD" ? undefined : loaded.body);
  return true;
}
