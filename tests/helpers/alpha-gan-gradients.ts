// Every gradient of one alpha-GAN step (encoder+generator, then both discriminators) on a small net
// with the production structure and channel counts that take the native vector paths. Kernels are
// fixed when a process's WASM backend starts, so comparing two kernel sets takes two processes:
//   node --import tsx tests/helpers/alpha-gan-gradients.ts --kernels wasm|native   (prints JSON)
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs";
import { buildAlphaGan, discriminatorGrads, disposeFakes, disposeTrainable, encoderGeneratorGrads, samplePrior } from "../../model/alpha-gan";
import { TINY_CONFIG, type ModelConfig } from "../../model/config";
import { useTrainingBackend } from "../../model/node/native-conv";

const cfg: ModelConfig = {
  ...TINY_CONFIG, imageSize: 12, latentDim: 8, encoderChannels: [8, 16, 32], generatorChannels: [32, 16, 8],
  discriminatorChannels: [8, 8, 16], codeDiscriminatorUnits: [16], batchSize: 6,
};

export function alphaGanGradients(): number[][] {
  const net = buildAlphaGan(cfg);
  const out: number[][] = [];
  tf.tidy(() => {
    const x = tf.randomUniform([cfg.batchSize, cfg.imageSize, cfg.imageSize, 1], 0, 1, "float32", 21) as tf.Tensor4D;
    const eg = encoderGeneratorGrads(net, x, samplePrior(cfg, cfg.batchSize, 1, 0));
    if (!eg.fakes) throw new Error("an alpha-GAN step returns its fakes");
    const d = discriminatorGrads(net, x, eg.fakes);
    for (const g of [...eg.grads, ...d.dGrads, ...d.cGrads]) out.push(Array.from(g.dataSync()));
    disposeFakes(eg.fakes);
  });
  disposeTrainable(net);
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { kernels: { type: "string", default: "native" } } });
  await useTrainingBackend({ native: values.kernels === "native" });
  process.stdout.write(JSON.stringify(alphaGanGradients()));
}
