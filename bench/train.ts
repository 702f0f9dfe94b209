// Throughput of one training step (alpha-GAN: 2 encoder+generator updates + 1 discriminator update;
// and the AE baseline's step), default config, WASM backend. Each variant runs in its own process
// (kernels are registered before the backend starts):
//   baseline   plain tfjs WASM + only the missing Conv2DBackpropFilter kernel (tfjs's own input grad)
//   fast       both conv gradients as forward convs (model/conv-grad-kernels.ts)
//   fast x2    fast, data-parallel over 2 worker threads (one core each)
//   native     every conv and conv gradient in native AVX2+FMA code (model/node/native-conv.ts)
//   native x2  native, data-parallel over 2 worker threads
// Prints FLOPs per step, s/step, steps/s, GFLOP/s, % of the 2-core fp32 peak, ratios to the baseline.
// The peak is stated two ways: the nominal 140 GFLOP/s of two AVX2 cores at 2.2 GHz, and the AVX2
// FMA throughput measured on this machine at the start of the run (bench/native/fma-peak.cc).
//   npx tsx bench/train.ts [--steps 3] [--batch 32] [--variants baseline,native]
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { buildAlphaGan, buildAutoencoder, type Trainable } from "../model/alpha-gan";
import { useBackend } from "../model/backend";
import { DEFAULT_CONFIG } from "../model/config";
import { stepFlops } from "../model/flops";
import { forwardFlops } from "../model/networks";
import { useTrainingBackend } from "../model/node/native-conv";
import { startParallelTrainer } from "../model/node/parallel";
import { localRunner, type StepRunner } from "../model/train-loop";
import { randomStepBatches } from "./lib/step-batches";

// Two AVX2 cores: 2 x 8-wide FMA x 2 units x ~2.2 GHz, about 140 GFLOP/s fp32 (docs/benchmarks.md).
const NOMINAL_PEAK_GFLOPS = 140;
const VARIANTS = ["baseline", "fast", "fast x2", "native", "native x2"];

/** {avx2: [1 thread, all threads], avx512?: [...]} in GFLOP/s, or null without a C++ compiler. */
function measuredPeak(): { avx2: [number, number]; avx512?: [number, number] } | null {
  const exe = join(tmpdir(), `fma-peak-${process.pid}`);
  try {
    execFileSync(process.env.CXX || "g++", ["-O2", "-pthread", fileURLToPath(new URL("./native/fma-peak.cc", import.meta.url)), "-o", exe]);
    return JSON.parse(execFileSync(exe, ["2"], { encoding: "utf8" })) as { avx2: [number, number]; avx512?: [number, number] };
  } catch (err) {
    console.log(`peak not measured: ${(err as Error).message}`);
    return null;
  } finally {
    rmSync(exe, { force: true });
  }
}

const { values: args } = parseArgs({
  options: {
    steps: { type: "string", default: "3" },
    batch: { type: "string", default: String(DEFAULT_CONFIG.batchSize) },
    variant: { type: "string" },
    variants: { type: "string", default: VARIANTS.join(",") },
    net: { type: "string" },
  },
});
const cfg = { ...DEFAULT_CONFIG, batchSize: Number(args.batch) };
const steps = Number(args.steps);

interface Result { variant: string; net: string; flops: number; secPerStep: number }

async function measure(variant: string, netName: string): Promise<Result> {
  const native = variant.startsWith("native");
  if (variant === "baseline") await useBackend("wasm", { slowInputGrad: true });
  else await useTrainingBackend({ native });
  const net: Trainable = netName === "ae" ? buildAutoencoder(cfg) : buildAlphaGan(cfg);
  const nets = { [netName]: net };
  const parallel = variant.endsWith(" x2") ? await startParallelTrainer(nets, 2, null, { nativeKernels: native }) : null;
  const runner: StepRunner = parallel?.runner ?? localRunner(nets);
  const batches = () => randomStepBatches(cfg);
  await runner(0, batches()); // warm-up: XNNPACK operator caches, optimizer slots
  const times: number[] = [];
  for (let step = 1; step <= steps; step++) {
    const b = batches();
    const t0 = performance.now();
    await runner(step, b);
    times.push((performance.now() - t0) / 1000);
  }
  await parallel?.close();
  times.sort((a, b) => a - b);
  return { variant, net: netName, flops: stepFlops(net), secPerStep: times[Math.floor(times.length / 2)] as number };
}

if (args.variant) {
  console.log(JSON.stringify(await measure(args.variant, args.net ?? "alpha-gan")));
} else {
  await useBackend("wasm");
  const gan = buildAlphaGan(cfg);
  console.log(`config: batch ${cfg.batchSize}, ${cfg.imageSize}x${cfg.imageSize}, latent ${cfg.latentDim}, ` +
    `E ${cfg.encoderChannels} G ${cfg.generatorChannels} D ${cfg.discriminatorChannels}`);
  for (const m of [gan.encoder, gan.generator, gan.discriminator, gan.codeDiscriminator]) {
    console.log(`  ${m.name.padEnd(18)} ${(forwardFlops(m) / 1e6).toFixed(2).padStart(6)} MFLOP/example forward, ${m.countParams()} params`);
  }
  console.log(`load average at start: ${loadavg().map((l) => l.toFixed(2)).join(" ")} (the 2 cores are shared; figures are noisy)`);
  const peak = measuredPeak();
  if (peak) {
    console.log(`measured fp32 FMA peak: AVX2 ${peak.avx2[0]} GFLOP/s on 1 core, ${peak.avx2[1]} on 2` +
      (peak.avx512 ? `; AVX-512 ${peak.avx512[0]} / ${peak.avx512[1]} (the kernels here use AVX2)` : ""));
  }
  const results: Result[] = [];
  const variants = args.variants.split(",");
  if (variants[0] !== "baseline") throw new Error("--variants must start with baseline: every ratio is against it");
  for (const net of ["alpha-gan", "ae"]) {
    for (const variant of variants) {
      const out = execFileSync(process.execPath, [...process.execArgv, process.argv[1] as string, "--variant", variant, "--net", net, "--steps", String(steps), "--batch", String(cfg.batchSize)], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
      const r = JSON.parse(out.trim().split("\n").pop() as string) as Result;
      results.push(r);
      const base = results.find((x) => x.net === net && x.variant === "baseline") as Result;
      const gflops = r.flops / r.secPerStep / 1e9;
      console.log(`${net.padEnd(9)} ${variant.padEnd(9)} ${(r.flops / 1e9).toFixed(2)} GFLOP/step  ${r.secPerStep.toFixed(2)} s/step  ` +
        `${(1 / r.secPerStep).toFixed(3)} steps/s  ${gflops.toFixed(1)} GFLOP/s  ${((100 * gflops) / NOMINAL_PEAK_GFLOPS).toFixed(1)}% of 140` +
        (peak ? ` (${((100 * gflops) / peak.avx2[1]).toFixed(1)}% of measured AVX2)` : "") + "  " +
        `x${(base.secPerStep / r.secPerStep).toFixed(2)} vs baseline`);
    }
  }
  console.log(`load average at end: ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
}
