// Node-only: reads data/quickdraw (one gzip ndjson file per category, listed in manifest.json).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import type { Sample } from "../dataset";
import type { Drawing } from "../rasterize";

export const QUICKDRAW_DIR = "data/quickdraw";

interface Manifest { categories: Record<string, { file: string; count: number }> }

export async function loadQuickDraw(dir = QUICKDRAW_DIR, categories?: readonly string[]): Promise<Sample[]> {
  const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8")) as Manifest;
  const names = categories ?? Object.keys(manifest.categories).sort();
  const samples: Sample[] = [];
  for (const category of names) {
    const entry = manifest.categories[category];
    if (!entry) throw new Error(`no category ${category} in ${dir}`);
    const text = gunzipSync(await readFile(join(dir, entry.file))).toString("utf8");
    for (const line of text.split("\n")) {
      if (!line.trim()) continue;
      const r = JSON.parse(line) as { key_id: string; recognized: boolean; drawing: Drawing };
      samples.push({ category, key: r.key_id, recognized: r.recognized, drawing: r.drawing });
    }
  }
  return samples;
}
