// The training CLI end to end on a tiny config: a run started from exported weights (--init)
// continues at their step, trains, checkpoints and exports with its origin in the metadata.
import { execFile } from "node:child_process";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { buildAlphaGan, buildAutoencoder, disposeTrainable, type Trainable } from "../../model/alpha-gan";
import { useBackend } from "../../model/backend";
import { TINY_CONFIG } from "../../model/config";
import { loadCheckpoint, loadTrainable, saveTrainable } from "../../model/node/files";

const run = promisify(execFile);
let dir = "";
before(async () => { await useBackend("wasm"); dir = await mkdtemp(join(tmpdir(), "train-cli-")); });
after(() => rm(dir, { recursive: true, force: true }));

function weightSum(net: Trainable): number {
  return [net.encoder, net.generator].flatMap((m) => m.getWeights()).reduce((sum, w) => sum + (w.dataSync() as Float32Array).reduce((a, v) => a + Math.abs(v), 0), 0);
}

test("--init starts from exported weights at their step and exports with its origin", async () => {
  const init = join(dir, "init"), out = join(dir, "run"), exported = join(dir, "exported");
  const nets = { "alpha-gan": buildAlphaGan(TINY_CONFIG), ae: buildAutoencoder(TINY_CONFIG) };
  for (const [name, net] of Object.entries(nets)) {
    await saveTrainable(net, join(init, name), false);
    await writeFile(join(init, name, "metadata.json"), JSON.stringify({ model: name, steps: 7 }));
  }
  const { stdout } = await run(process.execPath, [
    "--import", "tsx", "scripts/train.ts", "--init", init, "--out", out, "--steps", "9", "--report-every", "1", "--export", exported,
  ], { encoding: "utf8", timeout: 120_000 });

  assert.match(stdout, /starting alpha-gan, ae from .* at step 7/);
  assert.match(stdout, /step 8\/9 .*step 9\/9/s);
  assert.doesNotMatch(stdout, /step [1-7]\/9/);
  const checkpoint = await loadCheckpoint(out);
  assert.equal(checkpoint?.state.step, 9);
  assert.equal(checkpoint?.state.initialisedFrom, init);
  for (const name of ["alpha-gan", "ae"] as const) {
    const meta = JSON.parse(await readFile(join(exported, name, "metadata.json"), "utf8")) as { steps: number; initialisedFrom: string };
    assert.equal(meta.steps, 9);
    assert.equal(meta.initialisedFrom, init);
    const trained = await loadTrainable(join(exported, name));
    assert.notEqual(weightSum(trained), weightSum(nets[name]), `${name} was trained`);
    disposeTrainable(trained);
  }
  Object.values(nets).forEach(disposeTrainable);
  if (checkpoint) Object.values(checkpoint.nets).forEach(disposeTrainable);
});
