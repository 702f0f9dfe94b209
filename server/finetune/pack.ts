// A folder of files as one byte string and back, so checkpoints and model versions written by the
// existing on-disk savers (model/node/files.ts) can live in PostgreSQL, which every server and
// worker of a deployment reads. Layout: u32 header length, JSON [[path, bytes], ...], the bodies.
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";

export type FileMap = Map<string, Buffer>;

export function packFiles(files: FileMap): Buffer {
  const entries = [...files].sort(([a], [b]) => a.localeCompare(b));
  const header = Buffer.from(JSON.stringify(entries.map(([path, body]) => [path, body.length])));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(header.length);
  return Buffer.concat([length, header, ...entries.map(([, body]) => body)]);
}

export function unpackFiles(packed: Buffer): FileMap {
  const headerLength = packed.readUInt32BE(0);
  const entries = JSON.parse(packed.subarray(4, 4 + headerLength).toString("utf8")) as [string, number][];
  const files: FileMap = new Map();
  let offset = 4 + headerLength;
  for (const [path, length] of entries) {
    if (!isSafeRelativePath(path)) throw new Error(`packed files: refusing path ${JSON.stringify(path)}`);
    files.set(path, packed.subarray(offset, offset + length));
    offset += length;
  }
  if (offset !== packed.length) throw new Error("packed files: length mismatch");
  return files;
}

/** Relative, forward slashes, no "..", no absolute paths: safe to join under a folder. */
export function isSafeRelativePath(path: string): boolean {
  return path.length > 0 && !path.startsWith("/") && !path.includes("\\") && path.split("/").every((p) => p !== "" && p !== "." && p !== "..");
}

export async function readDirFiles(dir: string): Promise<FileMap> {
  const files: FileMap = new Map();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    files.set(relative(dir, full).split(sep).join("/"), await readFile(full));
  }
  return files;
}

export async function writeDirFiles(dir: string, files: FileMap): Promise<void> {
  for (const [path, body] of files) {
    if (!isSafeRelativePath(path)) throw new Error(`refusing path ${JSON.stringify(path)}`);
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), body);
  }
}
