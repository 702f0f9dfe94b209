// Serves model weights to browsers. Versions: the weights shipped in model/weights/ (the first
// version, "shipped-<hash of its files>") and fine-tuned ones ("ft-<hash of their weights>"),
// whose files live in PostgreSQL (model_files) so every server of a deployment serves them. A
// version's name changes with its weights, so a browser's cache (HTTP and IndexedDB, keyed by
// version) never serves old weights under a name.
import type { IncomingMessage, ServerResponse } from "node:http";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { ModelVersionView } from "../../protocol";
import type { ModelStore } from "../finetune/model-store";

export const SHIPPED_DIR = resolve(process.cwd(), "model/weights");
const BROWSER_NETS = ["alpha-gan", "ae"] as const;

let shipped: Promise<ModelVersionView> | null = null;

/** The shipped weights as a model version: "shipped-<first 10 hex of a hash over their files>". */
export function shippedVersion(): Promise<ModelVersionView> {
  shipped ??= (async () => {
    const hash = createHash("sha256");
    for (const net of BROWSER_NETS) {
      for (const part of ["encoder", "generator"]) {
        hash.update(await readFile(join(SHIPPED_DIR, net, part, "model.json")));
        hash.update(await readFile(join(SHIPPED_DIR, net, part, "weights.bin")));
      }
    }
    return versionView(`shipped-${hash.digest("hex").slice(0, 10)}`);
  })();
  return shipped;
}

export function versionView(version: string): ModelVersionView {
  return { version, files: `/api/models/${version}` };
}

/** The version players should use: the latest publish or roll-back, else the shipped weights. */
export async function activeVersionView(models: ModelStore | null): Promise<ModelVersionView> {
  const active = await models?.activeVersion();
  return active ? versionView(active.version) : shippedVersion();
}

export const VERSION_NAME = /^(shipped|ft)-[0-9a-f]{10}$/;

// Only the files a browser loads: <net>/trainable.json, metadata.json, <net>/<part>/model.json and weights.bin.
const MODEL_FILE =
  /^\/api\/models\/((?:shipped|ft)-[0-9a-f]{10})\/((?:alpha-gan|ae)\/(?:(?:encoder|generator)\/)?(?:model\.json|weights\.bin|trainable\.json|metadata\.json))$/;

const CONTENT_TYPES: Record<string, string> = { json: "application/json", bin: "application/octet-stream" };

/** One file of a model version: the shipped ones from disk, fine-tuned ones from PostgreSQL. */
export async function fileOf(models: ModelStore | null, version: string, path: string): Promise<Buffer | null> {
  if (version.startsWith("shipped-")) {
    if (version !== (await shippedVersion()).version) return null;
    return readFile(join(SHIPPED_DIR, path)).catch(() => null);
  }
  return (await models?.versionFile(version, path)) ?? null;
}

/** Answers the request if it is a model route; returns false otherwise. */
export async function handleModelFiles(req: IncomingMessage, res: ServerResponse, path: string, models: ModelStore | null = null): Promise<boolean> {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  if (path === "/api/models/active") {
    res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(JSON.stringify(await activeVersionView(models)));
    return true;
  }
  const match = MODEL_FILE.exec(path);
  if (!match) return false;
  const body = await fileOf(models, match[1]!, match[2]!);
  if (!body) {
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("No such model version or file.");
    return true;
  }
  res.writeHead(200, {
    "content-type": CONTENT_TYPES[match[2]!.split(".").pop()!] ?? "application/octet-stream",
    "content-length": body.length,
    // A version's files never change; new weights are a new version with a new URL.
    "cache-control": "public, max-age=31536000, immutable",
  });
  res.end(req.method === "HEAD" ? undefined : body);
  return true;
}
