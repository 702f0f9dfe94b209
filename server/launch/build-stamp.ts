// Whether the built pages (.next) still match their sources, so `npm start` builds only when
// something the pages are made from changed. The stamp is a hash of those files' contents (not
// their times: a fresh checkout or `git stash` touches times without changing a page).
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";

/** What `next build` reads: the pages and everything they import, and the build's configuration. */
export const BUILD_INPUTS = ["app", "common", "game", "protocol", "model", "next.config.js", "tsconfig.json", "package-lock.json"];
/** Inside the inputs, yet never part of the pages: dependencies and native build output. */
const SKIPPED_FOLDERS = new Set(["node_modules", "build"]);
export const STAMP_FILE = ".next/doodle-dance-build-stamp";

export type SourceFile = { path: string; content: Buffer | string };

/** One hash for a set of files, independent of the order they were listed in. */
export function stampOf(files: SourceFile[], nextVersion: string): string {
  const hash = createHash("sha256").update(`next ${nextVersion}\n`);
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    hash.update(`${file.path}\0${createHash("sha256").update(file.content).digest("hex")}\n`);
  }
  return hash.digest("hex");
}

export type BuildState = { built: boolean; stamp: string | null };

/** Why the pages need building, or null when the last build is current. */
export function whyBuild(state: BuildState, current: string): string | null {
  if (!state.built) return "no build yet";
  if (state.stamp === null) return "the last build left no stamp (built by hand, or interrupted)";
  if (state.stamp !== current) return "sources changed since the last build";
  return null;
}

/** The input files under `root` with their paths relative to it, '/'-separated on every system. */
export function readInputs(root: string): SourceFile[] {
  const files: SourceFile[] = [];
  const visit = (path: string) => {
    const entries = readdirSync(path, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) visit(join(path, entry.name));
      } else if (entry.isFile()) {
        const full = join(path, entry.name);
        files.push({ path: relative(root, full).split(sep).join("/"), content: readFileSync(full) });
      }
    }
  };
  for (const input of BUILD_INPUTS) {
    const full = join(root, input);
    if (!existsSync(full)) continue;
    if (statSync(full).isDirectory()) visit(full);
    else files.push({ path: input, content: readFileSync(full) });
  }
  return files;
}

export function readBuildState(root: string): BuildState {
  const stampPath = join(root, STAMP_FILE);
  return {
    built: existsSync(join(root, ".next", "BUILD_ID")),
    stamp: existsSync(stampPath) ? readFileSync(stampPath, "utf8").trim() : null,
  };
}

export function writeStamp(root: string, stamp: string): void {
  writeFileSync(join(root, STAMP_FILE), `${stamp}\n`);
}
