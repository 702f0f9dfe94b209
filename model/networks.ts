// Builders for the four alpha-GAN networks (Rosca et al. 2017) as tfjs-layers models, so weights
// save and load as tfjs model.json + binary. No batch norm anywhere: it doubles the elementwise work
// on thin layers and makes steps depend on batch composition; instead the second conv of each
// residual branch starts small (scaled init) so a deep stack starts close to identity.
import * as tf from "@tensorflow/tfjs";
import type { ModelConfig } from "./config";
import { mixSeed, Purpose } from "./seeds";

type Activation = "relu" | "leaky";
type Sym = tf.SymbolicTensor;

const LEAK = 0.2;
export const CODE_BOUND = 4;

/** Names layers <prefix>/<kind><n> and gives every initializer its own seed from the config seed. */
class NetBuilder {
  private n = 0;
  constructor(private readonly prefix: string, private readonly seed: number) {}

  private next(kind: string): { name: string; seed: number } {
    this.n++;
    return { name: `${this.prefix}/${kind}${this.n}`, seed: mixSeed(this.seed, Purpose.init, hashName(this.prefix), this.n) };
  }

  conv(x: Sym, filters: number, kernel: number, act: Activation | null, opts: { scale?: number; bias?: boolean } = {}): Sym {
    const { name, seed } = this.next("conv");
    const fused = act === "relu";
    const y = tf.layers.conv2d({
      name, filters, kernelSize: kernel, padding: "same", useBias: opts.bias ?? true,
      activation: fused ? "relu" : "linear",
      kernelInitializer: tf.initializers.varianceScaling({ scale: (act ? 2 : 1) * (opts.scale ?? 1), mode: "fanIn", distribution: "normal", seed }),
    }).apply(x) as Sym;
    return act === "leaky" ? this.act(y, act) : y;
  }

  dense(x: Sym, units: number, act: Activation | null, activation: "linear" | "sigmoid" = "linear"): Sym {
    const { name, seed } = this.next("dense");
    const y = tf.layers.dense({
      name, units, activation: act === "relu" ? "relu" : activation,
      kernelInitializer: tf.initializers.varianceScaling({ scale: act ? 2 : 1, mode: "fanIn", distribution: "normal", seed }),
    }).apply(x) as Sym;
    return act === "leaky" ? this.act(y, act) : y;
  }

  act(x: Sym, act: Activation): Sym {
    const { name } = this.next("act");
    const layer = act === "relu" ? tf.layers.reLU({ name }) : tf.layers.leakyReLU({ name, alpha: LEAK });
    return layer.apply(x) as Sym;
  }

  /** conv-act-conv plus a (1x1-projected where channels change) skip, then the activation. */
  resBlock(x: Sym, filters: number, act: Activation): Sym {
    const cin = x.shape[3];
    const h = this.conv(this.conv(x, filters, 3, act), filters, 3, null, { scale: 0.1 });
    const skip = cin === filters ? x : this.conv(x, filters, 1, null, { bias: false });
    const { name } = this.next("add");
    return this.act(tf.layers.add({ name }).apply([skip, h]) as Sym, act);
  }

  pool(x: Sym): Sym {
    return tf.layers.averagePooling2d({ name: this.next("pool").name, poolSize: 2, strides: 2 }).apply(x) as Sym;
  }

  upsample(x: Sym): Sym {
    return tf.layers.upSampling2d({ name: this.next("up").name, size: [2, 2], interpolation: "nearest" }).apply(x) as Sym;
  }

  flatten(x: Sym): Sym {
    return tf.layers.flatten({ name: this.next("flat").name }).apply(x) as Sym;
  }
}

function hashName(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) >>> 0;
  return h;
}

/**
 * Clips to the ink range 0..1; gradients pass where the value is inside the range, and outside it
 * only when they point back in. A sigmoid output saturated at 0 within ~30 steps of training and
 * never recovered (its gradient vanishes); a plain clip would do the same (zero gradient outside);
 * a fully straight-through clip let the discriminator's gradient push clipped pre-activations off
 * without bound (the alpha-GAN's generator collapsed to blank images by step 50). With this rule
 * missing ink always pulls its pixel back up, and nothing can push a pixel further out of range.
 */
export class InkRange extends tf.layers.Layer {
  static readonly className = "InkRange";
  private static readonly clip = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
    save([x]);
    return {
      value: tf.clipByValue(x, 0, 1),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const pre = saved[0] as tf.Tensor;
        // Descent moves pre by -dy: out of range below (pre <= 0) it may only rise (dy < 0), above only fall.
        const inside = tf.logicalAnd(tf.greater(pre, 0), tf.less(pre, 1));
        const rising = tf.logicalAnd(tf.lessEqual(pre, 0), tf.less(dy, 0));
        const falling = tf.logicalAnd(tf.greaterEqual(pre, 1), tf.greater(dy, 0));
        return tf.where(tf.logicalOr(inside, tf.logicalOr(rising, falling)), dy, tf.zerosLike(dy));
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor) => tf.Tensor;

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return InkRange.clip(Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs);
  }
}
tf.serialization.registerClass(InkRange);

/** conv stem, ResBlock per resolution with average pooling between, flatten, dense. */
function convTower(b: NetBuilder, x: Sym, channels: readonly number[], act: Activation): Sym {
  let h = b.conv(x, channels[0] as number, 3, act);
  channels.forEach((c, i) => {
    if (i > 0) h = b.pool(h);
    h = b.resBlock(h, c, act);
  });
  return b.flatten(h);
}

function imageInput(cfg: ModelConfig, name: string): Sym {
  return tf.input({ shape: [cfg.imageSize, cfg.imageSize, 1], name });
}

/** x [n, s, s, 1] -> z [n, latentDim]. */
export function buildEncoder(cfg: ModelConfig): tf.LayersModel {
  const b = new NetBuilder("encoder", cfg.seed);
  const x = imageInput(cfg, "encoder/x");
  const h = b.dense(convTower(b, x, cfg.encoderChannels, "relu"), cfg.latentDim, null);
  // Codes bounded to (-4, 4) by 4 tanh(h / 4) (the prior puts 6e-5 of its mass beyond): unbounded,
  // the encoder once ran its codes off to |z| ~ 1e6 along a direction the code discriminator
  // extrapolated as "prior", and the quadratic features turned that into a runaway.
  const z = [
    tf.layers.rescaling({ name: "encoder/squash-in", scale: 1 / CODE_BOUND }),
    tf.layers.activation({ name: "encoder/tanh", activation: "tanh" }),
    tf.layers.rescaling({ name: "encoder/squash-out", scale: CODE_BOUND }),
  ].reduce((t, layer) => layer.apply(t) as Sym, h);
  return tf.model({ name: "encoder", inputs: x, outputs: z });
}

/** z [n, latentDim] -> x [n, s, s, 1] in the ink range (0..1, InkRange). */
export function buildGenerator(cfg: ModelConfig): tf.LayersModel {
  const b = new NetBuilder("generator", cfg.seed);
  const z = tf.input({ shape: [cfg.latentDim], name: "generator/z" });
  const [c0, c1, c2] = cfg.generatorChannels;
  const q = cfg.imageSize / 4;
  let h = b.dense(z, q * q * c0, "relu");
  h = tf.layers.reshape({ name: "generator/reshape", targetShape: [q, q, c0] }).apply(h) as Sym;
  // Channels drop by a 1x1 conv before each upsampling, where it costs a quarter as much.
  h = b.resBlock(h, c0, "relu");
  h = b.resBlock(b.upsample(b.conv(h, c1, 1, "relu")), c1, "relu");
  h = b.resBlock(b.upsample(b.conv(h, c2, 1, "relu")), c2, "relu");
  const out = tf.layers.conv2d({
    name: "generator/out", filters: 1, kernelSize: 3, padding: "same",
    kernelInitializer: tf.initializers.glorotNormal({ seed: mixSeed(cfg.seed, Purpose.init, 7) }),
  }).apply(h) as Sym;
  const x = new InkRange({ name: "generator/ink" }).apply(out) as Sym;
  return tf.model({ name: "generator", inputs: z, outputs: x });
}

/** x [n, s, s, 1] -> logit [n, 1] of "real", real vs reconstructed-or-generated. */
export function buildImageDiscriminator(cfg: ModelConfig): tf.LayersModel {
  const b = new NetBuilder("discriminator", cfg.seed);
  const x = imageInput(cfg, "discriminator/x");
  const logit = b.dense(convTower(b, x, cfg.discriminatorChannels, "leaky"), 1, null);
  return tf.model({ name: "discriminator", inputs: x, outputs: logit });
}

/**
 * z [n, latentDim] -> logit [n, 1] of "drawn from the prior" vs "encoded"; an MLP, no batch norm.
 * It sees [z, z*z]: the log density ratio of two Gaussians is quadratic in z, so with squares as
 * inputs it is within reach of the first layer. On z alone the (piecewise-linear) MLP lagged: the
 * encoder spread its codes wider than the prior, into regions where C extrapolated "prior".
 */
export function buildCodeDiscriminator(cfg: ModelConfig): tf.LayersModel {
  const b = new NetBuilder("codeDiscriminator", cfg.seed);
  const z = tf.input({ shape: [cfg.latentDim], name: "codeDiscriminator/z" });
  const squares = tf.layers.multiply({ name: "codeDiscriminator/squares" }).apply([z, z]) as Sym;
  let h = tf.layers.concatenate({ name: "codeDiscriminator/features" }).apply([z, squares]) as Sym;
  for (const units of cfg.codeDiscriminatorUnits) h = b.dense(h, units, "leaky");
  const logit = b.dense(h, 1, null);
  return tf.model({ name: "codeDiscriminator", inputs: z, outputs: logit });
}

/** Multiply-adds x2 of one forward pass for one example (convs and dense layers; elementwise work left out). */
export function forwardFlops(model: tf.LayersModel): number {
  let flops = 0;
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (cls !== "Conv2D" && cls !== "Dense") continue;
    const kernel = layer.getWeights()[0];
    if (!kernel) continue;
    const out = layer.outputShape as number[];
    const positions = cls === "Conv2D" ? (out[1] as number) * (out[2] as number) : 1;
    const [kh, kw] = cls === "Conv2D" ? kernel.shape : [1, 1];
    const [cin, cout] = kernel.shape.slice(-2) as [number, number];
    flops += 2 * positions * (kh as number) * (kw as number) * cin * cout;
  }
  return flops;
}
