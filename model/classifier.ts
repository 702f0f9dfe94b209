// A small doodle classifier, trained in the project only to score recognizability in evaluation:
// real held-out doodles vs reconstructions, latent midpoints and prior samples.
import * as tf from "@tensorflow/tfjs";
import { mixSeed, Purpose } from "./seeds";

export function buildClassifier(imageSize: number, classes: number, seed: number): tf.LayersModel {
  const init = (n: number) => tf.initializers.heNormal({ seed: mixSeed(seed, Purpose.init, 100 + n) });
  const x = tf.input({ shape: [imageSize, imageSize, 1] });
  let h = x as tf.SymbolicTensor;
  [16, 32, 64].forEach((filters, i) => {
    h = tf.layers.conv2d({ filters, kernelSize: 3, padding: "same", activation: "relu", kernelInitializer: init(i) }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.maxPooling2d({ poolSize: 2 }).apply(h) as tf.SymbolicTensor;
  });
  h = tf.layers.flatten().apply(h) as tf.SymbolicTensor;
  h = tf.layers.dense({ units: 128, activation: "relu", kernelInitializer: init(3) }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.dropout({ rate: 0.3, seed: mixSeed(seed, Purpose.init, 104) }).apply(h) as tf.SymbolicTensor;
  const y = tf.layers.dense({ units: classes, kernelInitializer: tf.initializers.glorotNormal({ seed: mixSeed(seed, Purpose.init, 105) }) }).apply(h) as tf.SymbolicTensor;
  return tf.model({ name: "classifier", inputs: x, outputs: y });
}

/** One update on a batch (images [n, s, s, 1], integer labels); returns the cross-entropy. */
export function trainClassifierStep(model: tf.LayersModel, opt: tf.Optimizer, x: tf.Tensor4D, labels: Int32Array, classes: number): number {
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const loss = opt.minimize(() => tf.tidy(() => {
    const logits = model.apply(x, { training: true }) as tf.Tensor2D;
    return tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(labels, "int32"), classes), logits) as tf.Scalar;
  }), true, vars) as tf.Scalar;
  const v = loss.dataSync()[0] as number;
  loss.dispose();
  return v;
}

/** Top-k class indices per image, in batches to bound memory. */
export function topK(model: tf.LayersModel, images: tf.Tensor4D, k: number, batch = 256): { indices: Int32Array; maxProb: Float32Array } {
  const n = images.shape[0];
  const indices = new Int32Array(n * k), maxProb = new Float32Array(n);
  for (let i = 0; i < n; i += batch) {
    const m = Math.min(batch, n - i);
    tf.tidy(() => {
      const probs = tf.softmax(model.predict(tf.slice(images, [i, 0, 0, 0], [m, -1, -1, -1])) as tf.Tensor2D);
      const top = tf.topk(probs, k);
      indices.set(top.indices.dataSync(), i * k);
      maxProb.set(tf.max(probs, 1).dataSync(), i);
    });
  }
  return { indices, maxProb };
}
