// What refining the dance's codes costs the server (server/dance-codes/: encoder + 80 Adam steps on
// the codes, model/refine.ts), per round of n doodles, on the kernels the worker uses (native
// AVX2+FMA where built) and on tfjs's WASM kernels (the fallback) in the same run, with the ratio.
// Each in its own process: native kernels must be registered before the WASM backend starts.
// From the per-doodle cost: core-seconds per round of 12 players and cores busy for 1,000 rooms.
//   nice -n 5 npx tsx bench/dance-codes.ts [--players 1,2,8,12] [--reps 5] [--round-seconds 45]
import { execFileSync } from "node:child_process";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs";
import { splitHeldOut } from "../model/dataset";
import { loadTrainable } from "../model/node/files";
import { useTrainingBackend } from "../model/node/native-conv";
import { loadQuickDraw } from "../model/node/quickdraw";
import { rasterize } from "../model/rasterize";
import { refineCodes } from "../model/refine";
import { summarize } from "./lib/percentiles";

const { values: args } = parseArgs({
  options: {
    players: { type: "string", default: "1,2,8,12" }, reps: { type: "string", default: "5" }, "round-seconds": { type: "string", default: "45" },
    kernels: { type: "string" },
  },
});
const sizes = args.players.split(",").map(Number);
const WORDS = ["cat", "airplane", "house", "fish", "tree", "car", "bicycle", "flower", "bird", "clock", "umbrella", "star"];
const { heldOut } = splitHeldOut(await loadQuickDraw(undefined, WORDS));
const drawings = WORDS.map((w) => heldOut.find((s) => s.category === w && s.recognized)!.drawing);

/** One process's measurement: p50 ms per round of n doodles. */
async function measure(kernels: string): Promise<Record<number, number>> {
  console.error(`kernels: ${await useTrainingBackend({ native: kernels === "native" })}`);
  const net = await loadTrainable("model/weights/alpha-gan");
  const s = net.cfg.imageSize;
  const perRound = new Map<number, number>();
  for (const n of [sizes[0]!, ...sizes]) {
    const times: number[] = [];
    for (let r = 0; r < Number(args.reps); r++) {
      const t0 = performance.now();
      tf.tidy(() => {
        const x = tf.tensor4d(Float32Array.from(drawings.slice(0, n).flatMap((d) => Array.from(rasterize(d, s)))), [n, s, s, 1]);
        refineCodes(net.generator, x, net.encoder.predict(x) as tf.Tensor2D).dataSync();
      });
      times.push(performance.now() - t0);
    }
    perRound.set(n, summarize(times).p50); // the first size runs twice: its first pass is the warm-up
  }
  return Object.fromEntries(perRound);
}

if (args.kernels) {
  console.log(JSON.stringify(await measure(args.kernels)));
  process.exit(0);
}
console.log(`load average before: ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
const run = (kernels: string) => JSON.parse(execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2), "--kernels", kernels], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] })) as Record<number, number>;
const native = run("native"), wasm = run("wasm");
for (const n of sizes) {
  console.log(`${n} doodles: native ${native[n]!.toFixed(0)} ms (${(native[n]! / n).toFixed(1)} a doodle), WASM ${wasm[n]!.toFixed(0)} ms (${(wasm[n]! / n).toFixed(1)} a doodle), WASM / native ${(wasm[n]! / native[n]!).toFixed(2)}`);
}
const twelve = native[12] ?? native[sizes.at(-1)!]!;
const roundSeconds = Number(args["round-seconds"]);
console.log(`12 players: ${(twelve / 1000).toFixed(2)} core-seconds a round; 1,000 rooms with a round ending every ${roundSeconds} s each: ${((1000 * twelve) / 1000 / roundSeconds).toFixed(1)} cores busy on average`);
console.log(`load average after: ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
