// Brings the production pages up to date: `next build` when their sources changed since the last
// build (or there is none), nothing otherwise. Used by `npm start` and `npm run build`.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { readBuildState, readInputs, stampOf, whyBuild, writeStamp } from "./build-stamp";

const require = createRequire(import.meta.url);

export type BuildOptions = {
  root: string;
  say: (line: string) => void;
  /** Build even when the stamp matches. */
  force?: boolean;
  /** Aborting stops a running build (its process gets SIGTERM) and rejects. */
  signal?: AbortSignal;
};

/** Resolves with whether it built. */
export async function ensurePagesBuilt(options: BuildOptions): Promise<boolean> {
  const { root, say } = options;
  const started = performance.now();
  const nextVersion = (require("next/package.json") as { version: string }).version;
  const stampNow = () => stampOf(readInputs(root), nextVersion);
  const reason = options.force ? "asked to" : whyBuild(readBuildState(root), stampNow());
  const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
  if (reason === null) {
    say(`pages are up to date (checked in ${seconds()} s)`);
    return false;
  }
  say(`building the pages (${reason}): next build, about a minute on 2 cores…`);
  await runNextBuild(root, options.signal);
  // Hashed again afterwards: next build may itself amend tsconfig.json (once), which must not
  // make every later start rebuild.
  writeStamp(root, stampNow());
  say(`pages built in ${seconds()} s`);
  return true;
}

function runNextBuild(root: string, signal?: AbortSignal): Promise<void> {
  const nextBin = require.resolve("next/dist/bin/next");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin, "build"], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
    const abort = () => child.kill("SIGTERM");
    signal?.addEventListener("abort", abort, { once: true });
    child.once("error", reject);
    child.once("exit", (code, killedBy) => {
      signal?.removeEventListener("abort", abort);
      if (code === 0) resolve();
      else reject(new Error(signal?.aborted ? "the build was stopped" : `next build failed (${killedBy ?? `exit code ${code}`}); its output is above`));
    });
  });
}
