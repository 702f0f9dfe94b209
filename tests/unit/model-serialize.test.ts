// Weights and checkpoints on disk (Node), and data-parallel workers matching single-thread training.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { buildAlphaGan, buildAutoencoder, disposeTrainable, trainStep, type Trainable } from "../../model/alpha-gan";
import { useBackend } from "../../model/backend";
import { TINY_CONFIG } from "../../model/config";
import { loadCheckpoint, loadModelDir, loadTrainable, saveCheckpoint, saveModelDir, saveTrainable } from "../../model/node/files";
import { startParallelTrainer } from "../../model/node/parallel";
import { localRunner } from "../../model/train-loop";

const cfg = TINY_CONFIG;
const s = cfg.imageSize;
let dir = "";
before(async () => { await useBackend("wasm"); dir = await mkdtemp(join(tmpdir(), "model-serialize-")); });
after(() => rm(dir, { recursive: true, force: true }));

function pixels(seed: number): Float32Array[] {
  return [0, 1].map((u) => tf.tidy(() => tf.randomUniform([cfg.batchSize, s, s, 1], 0, 1, "float32", seed * 10 + u).dataSync() as Float32Array));
}

function weights(net: Trainable): Float32Array[] {
  const models = net.kind === "ae" ? [net.encoder, net.generator] : [net.encoder, net.generator, net.discriminator, net.codeDiscriminator];
  return models.flatMap((m) => m.getWeights().map((w) => w.dataSync() as Float32Array));
}

function maxDiff(a: Float32Array[], b: Float32Array[]): number {
  assert.equal(a.length, b.length);
  return Math.max(...a.map((x, i) => Math.max(...x.map((v, j) => Math.abs(v - b[i]![j]!)))));
}

describe("weights on disk", () => {
  test("a saved and loaded model gives the same outputs", async () => {
    const gan = buildAlphaGan(cfg);
    trainStep(gan, pixels(1).map((p) => tf.tensor4d(p, [cfg.batchSize, s, s, 1])), 0);
    await saveModelDir(gan.generator, join(dir, "g"));
    const loaded = await loadModelDir(join(dir, "g"));
    const z = tf.randomNormal([3, cfg.latentDim], 0, 1, "float32", 5);
    const a = (gan.generator.predict(z) as tf.Tensor).dataSync(), b = (loaded.predict(z) as tf.Tensor).dataSync();
    assert.deepEqual(Array.from(b), Array.from(a));
    await saveTrainable(gan, join(dir, "gan"), false);
    const again = await loadTrainable(join(dir, "gan"));
    assert.equal(maxDiff(weights(again), weights(gan)), 0);
    tf.dispose(z);
    loaded.dispose();
    disposeTrainable(gan);
    disposeTrainable(again);
  });

  test("resuming from a checkpoint continues exactly like an uninterrupted run", async () => {
    const run = localRunner;
    const straight = { gan: buildAlphaGan(cfg), ae: buildAutoencoder(cfg) };
    for (let step = 0; step < 3; step++) await run(straight)(step, pixels(step));

    const first = { gan: buildAlphaGan(cfg), ae: buildAutoencoder(cfg) };
    for (let step = 0; step < 2; step++) await run(first)(step, pixels(step));
    await saveCheckpoint(join(dir, "ckpt"), first, { step: 2, savedAt: "now" });
    const resumed = await loadCheckpoint(join(dir, "ckpt"));
    assert.ok(resumed);
    assert.equal(resumed.state.step, 2);
    await run(resumed.nets)(2, pixels(2));
    for (const name of ["gan", "ae"] as const) {
      assert.ok(maxDiff(weights(resumed.nets[name]!), weights(straight[name])) < 1e-6, `${name} drifted`);
    }
    [straight, first, resumed.nets].forEach((nets) => Object.values(nets).forEach(disposeTrainable));
  });
});

describe("data-parallel workers", () => {
  test("two workers train the same weights as one thread (up to float summation order)", async () => {
    const single = { gan: buildAlphaGan(cfg), ae: buildAutoencoder(cfg) };
    const multi = { gan: buildAlphaGan(cfg), ae: buildAutoencoder(cfg) };
    const parallel = await startParallelTrainer(multi, 2, null);
    try {
      for (let step = 0; step < 2; step++) {
        const a = await localRunner(single)(step, pixels(step));
        const b = await parallel.runner(step, pixels(step));
        assert.ok(Math.abs(a.gan!.eg.total - b.gan!.eg.total) < 1e-4);
      }
    } finally {
      await parallel.close();
    }
    for (const name of ["gan", "ae"] as const) assert.ok(maxDiff(weights(multi[name]), weights(single[name])) < 1e-4, name);
    [single, multi].forEach((nets) => Object.values(nets).forEach(disposeTrainable));
  });
});
