// Worker thread: holds the active model version's encoder and generator and refines doodles'
// codes (model/refine.ts). Native kernels where the machine has them (several times faster), else
// tfjs's WASM kernels.
import { parentPort } from "node:worker_threads";
import * as tf from "@tensorflow/tfjs";
import type { ModelConfig } from "../../model/config";
import "../../model/networks";
import { useTrainingBackend } from "../../model/node/native-conv";
import { DEFAULT_REFINE, refineCodes } from "../../model/refine";
import { rasterize } from "../../model/rasterize";
import { modelFromFiles, type ModelFiles } from "../../model/serialize";
import type { FromCoder, ToCoder } from "./dance-coder";

type Nets = { cfg: ModelConfig; encoder: tf.LayersModel; generator: tf.LayersModel };
const port = parentPort!;
const backend = useTrainingBackend();
/** The last version asked for: a newly published one replaces it. */
let nets: { version: string; loaded: Promise<Nets> } | null = null;

function load(version: string, files: Record<string, Uint8Array>): Promise<Nets> {
  const text = (path: string) => JSON.parse(new TextDecoder().decode(files[path])) as unknown;
  const part = (name: string): ModelFiles => {
    const bin = files[`alpha-gan/${name}/weights.bin`]!;
    return { json: text(`alpha-gan/${name}/model.json`) as ModelFiles["json"], bin: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer };
  };
  return (async () => {
    await backend;
    const [encoder, generator] = await Promise.all([modelFromFiles(part("encoder")), modelFromFiles(part("generator"))]);
    return { cfg: (text("alpha-gan/trainable.json") as { config: ModelConfig }).config, encoder, generator };
  })();
}

port.on("message", async (m: ToCoder) => {
  try {
    if (m.files && nets?.version !== m.version) {
      const old = nets;
      nets = { version: m.version, loaded: load(m.version, m.files) };
      void old?.loaded.then((n) => { n.encoder.dispose(); n.generator.dispose(); }, () => {});
    }
    if (!nets || nets.version !== m.version) throw new Error(`model ${m.version} is not loaded`);
    const { cfg, encoder, generator } = await nets.loaded;
    const started = performance.now();
    const s = cfg.imageSize;
    const pixels = new Float32Array(m.drawings.length * s * s);
    m.drawings.forEach((d, i) => rasterize(d, s, pixels.subarray(i * s * s, (i + 1) * s * s)));
    const values = tf.tidy(() => {
      const x = tf.tensor4d(pixels, [m.drawings.length, s, s, 1]);
      const z = refineCodes(generator, x, encoder.predict(x) as tf.Tensor2D, { ...DEFAULT_REFINE, steps: m.steps });
      return z.arraySync();
    });
    port.postMessage({ type: "codes", id: m.id, values, ms: performance.now() - started } satisfies FromCoder);
  } catch (err) {
    port.postMessage({ type: "error", id: m.id, message: err instanceof Error ? err.message : String(err) } satisfies FromCoder);
  }
});
