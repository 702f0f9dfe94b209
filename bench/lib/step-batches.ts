// Input for timing training steps: one step's two batches (the alpha-GAN's two encoder+generator
// updates) of random binary "ink" at about the real doodles' 15% coverage. Content doesn't change a
// step's cost, so no dataset is loaded.
import * as tf from "@tensorflow/tfjs";
import type { ModelConfig } from "../../model/config";

export function randomStepBatches(cfg: ModelConfig): Float32Array[] {
  const px = cfg.imageSize * cfg.imageSize * cfg.batchSize;
  return [0, 1].map((u) => tf.tidy(() => tf.cast(tf.greater(tf.randomUniform([px], 0, 1, "float32", u), 0.85), "float32").dataSync() as Float32Array));
}
