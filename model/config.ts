// Network sizes and training hyper-parameters. The default sizes come from measured WASM throughput
// (docs/benchmarks.md): thin layers at full resolution, channels where resolution is low.

export interface ModelConfig {
  /** Bitmap side; divisible by 4 (two 2x down/upsamplings). */
  imageSize: number;
  latentDim: number;
  /** Channels per resolution, full -> quarter. */
  encoderChannels: [number, number, number];
  /** Channels per resolution, quarter -> full. */
  generatorChannels: [number, number, number];
  discriminatorChannels: [number, number, number];
  codeDiscriminatorUnits: number[];
  /** Weight of the reconstruction term. */
  lambda: number;
  /** Reconstruction error: squared (default) or absolute (see reconstructionLoss). */
  reconstruction: "l2" | "l1";
  learningRate: number;
  /** Code discriminator's learning rate as a multiple of learningRate (history in docs/benchmarks.md). */
  codeDiscriminatorLrScale: number;
  beta1: number;
  beta2: number;
  batchSize: number;
  /** Encoder/generator updates per discriminator update. */
  generatorStepsPerDiscriminatorStep: number;
  seed: number;
}

export const DEFAULT_CONFIG: ModelConfig = {
  imageSize: 28,
  latentDim: 32,
  encoderChannels: [8, 24, 48],
  generatorChannels: [48, 24, 8],
  discriminatorChannels: [8, 16, 32],
  codeDiscriminatorUnits: [256, 256],
  lambda: 100,
  reconstruction: "l2",
  learningRate: 5e-4,
  codeDiscriminatorLrScale: 1,
  beta1: 0.5,
  beta2: 0.9,
  batchSize: 32,
  generatorStepsPerDiscriminatorStep: 2,
  seed: 1,
};

/** For tests: same structure, a fraction of the cost. */
export const TINY_CONFIG: ModelConfig = {
  ...DEFAULT_CONFIG,
  imageSize: 8,
  latentDim: 4,
  encoderChannels: [2, 3, 4],
  generatorChannels: [4, 3, 2],
  discriminatorChannels: [2, 3, 4],
  codeDiscriminatorUnits: [8],
  batchSize: 4,
};
