// `npm test`: readies the machine (scripts/test-env.ts), then type-checks, lints, builds the pages (when
// stale), runs the node tests on this Node and again on Node 24 (scripts/node24.ts; both lines are
// supported), then the browser tests, and stops what it started, also when a step fails or on Ctrl-C.
//   node --import tsx scripts/test.ts [--no-install] [-- COMMAND ARGS...]
// --no-install: stop with the command to run instead of installing what is missing.
// -- COMMAND ARGS: run that in the readied environment instead of these steps.
import { spawn, type ChildProcess } from "node:child_process";
import { constants } from "node:os";
import { delimiter } from "node:path";
import { prepareTestEnvironment, SetupStopped } from "./test-env";
import { ensureNode24 } from "./node24";

/**
 * beside: runs alongside the steps after it, its output held back and shown when it ends; the run
 * waits for it before finishing. The second node pass and the browser tests mostly wait (rounds,
 * timers, a software GPU), so side by side they take about the time of the longer one.
 */
type Step = { argv: string[]; node24?: true; beside?: true };
const STEPS: Step[] = [
  { argv: ["npm", "run", "typecheck"] },
  { argv: ["npm", "run", "lint"] },
  // Before the node tests: npm-start.test.ts runs `npm start`, which would otherwise build in the test.
  { argv: ["npm", "run", "build"] },
  { argv: ["npm", "run", "test:node"] },
  { argv: ["npm", "run", "test:node"], node24: true, beside: true },
  { argv: ["npm", "run", "test:browser"] },
];

const args = process.argv.slice(2);
const split = args.indexOf("--");
const flags = split < 0 ? args : args.slice(0, split);
const command = split < 0 ? null : args.slice(split + 1);
const unknown = flags.filter((f) => f !== "--no-install");
if (unknown.length > 0 || command?.length === 0) {
  console.error(`usage: node --import tsx scripts/test.ts [--no-install] [-- COMMAND ARGS...] (got ${args.join(" ")})`);
  process.exit(2);
}

const running = new Set<ChildProcess>();
let interrupted: NodeJS.Signals | null = null;
// The steps get the signal too (from the terminal, or passed on here); the set-up is undone once they have exited.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    interrupted ??= signal;
    for (const child of running) child.kill(signal);
  });
}

const log = (line: string) => console.log(`npm test: ${line}`);

/** Runs a step; `held` collects its output instead of printing it as it comes. */
function run(argv: string[], env: NodeJS.ProcessEnv, held?: Buffer[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { env, stdio: held ? ["ignore", "pipe", "pipe"] : "inherit" });
    for (const stream of [child.stdout, child.stderr]) stream?.on("data", (chunk: Buffer) => held!.push(chunk));
    running.add(child);
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      running.delete(child);
      resolve(code ?? 128 + constants.signals[signal!]);
    });
  });
}

async function main(): Promise<number> {
  let prepared;
  try {
    prepared = await prepareTestEnvironment({ installAllowed: !flags.includes("--no-install"), log });
  } catch (error) {
    if (!(error instanceof SetupStopped)) throw error;
    console.error(`npm test: ${error.message}`);
    return 1;
  }
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, ...prepared.env };
    const besides: Promise<number>[] = [];
    for (const step of command ? [{ argv: command }] : STEPS) {
      if (interrupted) break;
      let stepEnv = env;
      if (step.node24) {
        if (Number(process.versions.node.split(".")[0]) >= 24) continue; // this Node is the current line already
        const bin = await ensureNode24(process.cwd(), log);
        log("the node tests again, on Node.js 24");
        stepEnv = { ...env, PATH: `${bin}${delimiter}${env.PATH ?? ""}` };
      }
      if (step.beside) {
        const held: Buffer[] = [];
        const label = step.argv.join(" ") + (step.node24 ? " (Node.js 24)" : "");
        log(`${label} runs beside the next steps; its output follows when it ends`);
        besides.push(
          run(step.argv, stepEnv, held).then((code) => {
            log(`${label}: exit ${code}; its output:`);
            process.stdout.write(Buffer.concat(held));
            return code;
          }),
        );
        continue;
      }
      const code = await run(step.argv, stepEnv);
      if (code !== 0) return Math.max(code, ...(await Promise.all(besides)));
    }
    const failed = (await Promise.all(besides)).find((code) => code !== 0);
    if (failed !== undefined) return failed;
  } finally {
    await prepared.teardown();
  }
  return interrupted ? 128 + constants.signals[interrupted] : 0;
}

process.exit(await main());
