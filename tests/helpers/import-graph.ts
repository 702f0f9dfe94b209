// The project's own module graph (relative imports, types included), for the architecture test.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const SOURCE = /\.(ts|tsx|mts)$/;
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["'](\.{1,2}\/[^"']+)["']/g;

/** Every source file under `dirs` (relative to root) with the project files it imports. */
export function importGraph(root: string, dirs: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const visit = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (name === "node_modules" || name === "generated" || name === "build") continue;
      if (statSync(path).isDirectory()) visit(path);
      else if (SOURCE.test(name)) {
        const text = readFileSync(path, "utf8");
        const targets = [...text.matchAll(IMPORT)].map((m) => resolveModule(dirname(path), m[1]!)).filter((t): t is string => t !== null);
        graph.set(relative(root, path), targets.map((t) => relative(root, t)));
      }
    }
  };
  for (const dir of dirs) visit(join(root, dir));
  return graph;
}

function resolveModule(from: string, spec: string): string | null {
  const base = resolve(from, spec);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, "index.ts")]) {
    if (existsSync(candidate) && statSync(candidate).isFile() && SOURCE.test(candidate)) return candidate;
  }
  return null; // JSON, .mjs and the like: never part of a cycle of ours
}

/** One cycle per strongly connected group of modules that import each other, as a path a → b → a. */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = [];
  const done = new Set<string>();
  const onPath: string[] = [];
  const visit = (node: string) => {
    if (done.has(node)) return;
    const at = onPath.indexOf(node);
    if (at >= 0) {
      cycles.push([...onPath.slice(at), node]);
      return;
    }
    onPath.push(node);
    for (const next of graph.get(node) ?? []) visit(next);
    onPath.pop();
    done.add(node);
  };
  for (const node of [...graph.keys()].sort()) visit(node);
  return cycles;
}
