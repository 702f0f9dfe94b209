// Node-only: what trained a set of weights (for model/weights/**/metadata.json).
import { execFileSync } from "node:child_process";

export function gitCommit(): { commit: string | null; dirty: boolean } {
  const git = (...args: string[]) => execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  let commit: string | null = null;
  try { commit = git("rev-parse", "HEAD"); } catch { /* no commit yet */ }
  let dirty = true;
  try { dirty = git("status", "--porcelain", "--", "model").length > 0; } catch { /* not a repo */ }
  return { commit, dirty };
}
