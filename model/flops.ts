// Nominal FLOPs of one training step, for throughput figures. Convention: a trained net costs 3x its
// forward pass (forward, input gradient, filter gradient); a net only backpropagated through (its
// weights not updated in that update) 2x; elementwise work is left out.
import type { Trainable } from "./alpha-gan";
import { forwardFlops } from "./networks";

export function stepFlops(net: Trainable): number {
  const { batchSize: b, generatorStepsPerDiscriminatorStep: k } = net.cfg;
  const e = forwardFlops(net.encoder), g = forwardFlops(net.generator);
  if (net.kind === "ae") return k * b * 3 * (e + g);
  const d = forwardFlops(net.discriminator), c = forwardFlops(net.codeDiscriminator);
  // Per encoder+generator update: E on the batch, G on codes and prior samples, D on both image
  // batches and C on the codes (backpropagated only).
  const egUpdate = b * (3 * e + 2 * 3 * g + 2 * 2 * d + 2 * c);
  // Discriminator update: D on real + reconstructed + generated, C on prior + encoded codes.
  const discUpdate = b * (3 * 3 * d + 2 * 3 * c);
  return k * egUpdate + discUpdate;
}
