// One fine-tune attempt: the players' doodles since the parent version plus a replay sample of the
// original training data, fine-tuned from the parent's weights (or from the job's last checkpoint),
// evaluated against the parent, stored as a ready or rejected version. Every write names the
// attempt, so a worker that was presumed dead can no longer change the job.
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import type { StepLosses, Trainable } from "../../model/alpha-gan";
import type { Classifier } from "../../model/classifier";
import { rasterizeSamples, splitHeldOut, type Sample } from "../../model/dataset";
import { loadCheckpoint, loadTrainable, saveCheckpoint, saveTrainable } from "../../model/node/files";
import { gridPng } from "../../model/node/png";
import { partsOf } from "../../model/serialize";
import { loadQuickDraw } from "../../model/node/quickdraw";
import { hashString, mixSeed, rngFor, shuffled } from "../../model/seeds";
import { localRunner, trainLoop, type StepRunner } from "../../model/train-loop";
import type { Drawing } from "../../model/rasterize";
import { judge } from "../finetune/gate";
import type { DataCounts, Doodle, JobRow, ModelStore, VersionFigures, VersionMetadata } from "../finetune/model-store";
import { packFiles, readDirFiles, unpackFiles, writeDirFiles, type FileMap } from "../finetune/pack";
import { SHIPPED_DIR } from "../http/model-files";
import { comparisonRows, evaluateNet, toEvalSet, type LabelledSet } from "./evaluate-version";

export type WorkerConfig = {
  /** At least this many original training doodles are replayed (more when there are more new ones). */
  replayMin: number;
  /** At most this many doodles of the fixed held-out split are evaluated (all: Infinity). */
  evalLimit: number;
  checkpointEverySec: number;
  /** Sample reconstructions are refreshed every this many steps. */
  sampleEverySteps: number;
};

export const DEFAULT_WORKER_CONFIG: WorkerConfig = { replayMin: 512, evalLimit: Infinity, checkpointEverySec: 30, sampleEverySteps: 10 };

/** The reason an attempt ended without finishing the job; the queue retries it. */
export class AttemptAbandoned extends Error {}

const NEW_HELD_OUT_FRACTION = 0.1;
const SAMPLE_COUNT = 8;

/** Splits players' doodles by a hash of their id: the same doodle is always on the same side. */
export function splitNewDoodles<T extends { drawingId: string }>(doodles: readonly T[]): { train: T[]; heldOut: T[] } {
  const ranked = [...doodles].sort((a, b) => hashString(a.drawingId) - hashString(b.drawingId) || a.drawingId.localeCompare(b.drawingId));
  const held = doodles.length >= 2 ? Math.max(1, Math.floor(doodles.length * NEW_HELD_OUT_FRACTION)) : 0;
  return { heldOut: ranked.slice(0, held), train: ranked.slice(held) };
}

/** A version's files (shipped folder or Postgres rows), with alpha-gan's config set for this job. */
async function parentFiles(store: ModelStore, parent: string): Promise<FileMap> {
  if (parent.startsWith("shipped-")) {
    const files = await readDirFiles(SHIPPED_DIR);
    for (const path of [...files.keys()]) if (!/^(alpha-gan|ae)\//.test(path)) files.delete(path);
    return files;
  }
  const files = await store.versionFiles(parent);
  if (files.size === 0) throw new Error(`parent version ${parent} has no files`);
  return files;
}

function withConfig(files: FileMap, overrides: { learningRate: number; seed: number }): FileMap {
  const out = new Map(files);
  const meta = JSON.parse(files.get("alpha-gan/trainable.json")!.toString("utf8")) as { config: Record<string, unknown> };
  meta.config = { ...meta.config, ...overrides };
  out.set("alpha-gan/trainable.json", Buffer.from(JSON.stringify(meta, null, 2)));
  return out;
}

export async function runFinetuneAttempt(
  store: ModelStore, job: JobRow, deps: { config: WorkerConfig; classifier: Classifier | null; classifierName: string | null; stopping: () => boolean; log: (m: string) => void },
): Promise<void> {
  const { id, attempt, params } = job;
  const cfgSeed = mixSeed(hashString(id), 5);
  const work = await mkdtemp(join(tmpdir(), "finetune-"));
  const beat = async (fields: { step?: number; phase?: string } = {}) => {
    const r = await store.beat(id, attempt, fields);
    if (!r.held) throw new AttemptAbandoned("another attempt holds the job now");
    return r;
  };
  try {
    // ---- data
    const since = new Date(params.dataSince), until = new Date(params.dataUntil);
    const doodles = await store.doodles(since, until, params.categories);
    const split = splitNewDoodles(doodles);
    if (split.train.length === 0) {
      const where = params.categories.length ? ` in ${params.categories.join(", ")}` : "";
      throw new Error(`No players' doodles to train on${where} since ${job.parentVersion} (${doodles.length} found; at least 2 are needed, one is held out).`);
    }
    const quickdraw = await loadQuickDraw();
    const { train, heldOut } = splitHeldOut(quickdraw);
    const replayPool = train.filter((s) => s.recognized);
    const replayCount = Math.min(replayPool.length, Math.max(deps.config.replayMin, split.train.length));
    const replay = shuffled(replayPool, rngFor(cfgSeed, 11)).slice(0, replayCount);
    const held = heldOut.filter((s) => s.recognized).slice(0, deps.config.evalLimit);
    const drawings: Drawing[] = [...split.train.map((d) => d.drawing), ...replay.map((s) => s.drawing)];
    const counts: DataCounts = { newTrain: split.train.length, newHeldOut: split.heldOut.length, replay: replay.length, heldOut: held.length };
    await store.setDataCounts(id, attempt, counts);

    // ---- nets: the checkpoint if this job has one, else the parent's weights with the job's learning rate
    const parent = withConfig(await parentFiles(store, job.parentVersion), { learningRate: params.learningRate, seed: cfgSeed });
    await writeDirFiles(join(work, "parent"), parent);
    const stored = await store.checkpoint(id);
    let net: Trainable, startStep = 0, history: Record<string, number>[] = [];
    if (stored) {
      const dir = join(work, "resume");
      await writeDirFiles(join(dir, "checkpoint"), unpackFiles(stored.files));
      const resumed = (await loadCheckpoint(dir))!;
      net = resumed.nets["alpha-gan"]!;
      startStep = resumed.state.step;
      history = (resumed.state.history as Record<string, number>[] | undefined) ?? [];
      deps.log(`job ${id}: resuming from its checkpoint at step ${startStep}`);
    } else {
      net = await loadTrainable(join(work, "parent", "alpha-gan"));
    }

    // ---- training
    const size = net.cfg.imageSize;
    const sampleSource = (split.heldOut.length ? split.heldOut : split.train).slice(0, SAMPLE_COUNT);
    const sampleImages = tf.tensor4d(rasterizeSamples(sampleSource.map((d) => d.drawing), size, null), [sampleSource.length, size, size, 1]);
    let writes: Promise<unknown> = Promise.resolve();
    const queue = (f: () => Promise<unknown>) => { writes = writes.then(f); };
    let cancel = false;
    let last = { t: performance.now(), step: startStep };
    const writeSample = (step: number) => {
      const rows = comparisonRows(net, sampleImages).slice(0, 2);
      const png = gridPng(rows, size, 3);
      queue(() => store.saveSample(id, attempt, step, png));
    };
    await beat({ phase: "training", step: startStep });
    writeSample(startStep);
    // A step is synchronous tfjs work: without yielding to I/O between steps, progress, heartbeats
    // and cancel requests would wait for the next checkpoint.
    const local = localRunner({ "alpha-gan": net });
    const runner: StepRunner = async (step, pixels) => {
      await new Promise((resolve) => setImmediate(resolve));
      return local(step, pixels);
    };
    const done = await trainLoop({
      nets: { "alpha-gan": net }, runner, drawings, startStep, endStep: params.steps, augment: true,
      checkpointEverySec: deps.config.checkpointEverySec,
      shouldStop: () => cancel || deps.stopping(),
      onStep: (step, losses) => {
        const now = performance.now();
        const stepsPerSec = (step - last.step) / ((now - last.t) / 1000);
        last = { t: now, step };
        const flat = flattenLosses(losses["alpha-gan"]!);
        history.push({ step, ...flat });
        queue(async () => {
          await store.recordProgress(id, attempt, { step, losses: flat, stepsPerSec });
          cancel = (await beat({ step })).cancel;
        });
        if (step % deps.config.sampleEverySteps === 0 || step === params.steps) writeSample(step);
      },
      onCheckpoint: async (step) => {
        await writes;
        if (step === params.steps || cancel) return; // finished or cancelled: nothing to resume
        const dir = join(work, "ckpt");
        await saveCheckpoint(dir, { "alpha-gan": net }, { step, savedAt: new Date().toISOString(), history });
        await store.saveCheckpoint(id, attempt, step, { step }, packFiles(await readDirFiles(join(dir, "checkpoint"))));
        deps.log(`job ${id}: checkpoint at step ${step}`);
      },
    });
    await writes;
    sampleImages.dispose();
    if (cancel) {
      await store.finish(id, attempt, { status: "cancelled", error: `Cancelled at step ${done} of ${params.steps}; the active version is unchanged.` });
      return;
    }
    if (done < params.steps) throw new AttemptAbandoned(`worker stopping at step ${done}; the job resumes from its checkpoint`);

    // ---- evaluation: parent and candidate on the same doodles
    await beat({ phase: "evaluating", step: done });
    const parentNet = await loadTrainable(join(work, "parent", "alpha-gan"));
    const label = (s: readonly Sample[] | readonly Doodle[]): LabelledSet => ({ drawings: s.map((x) => x.drawing), categories: s.map((x) => x.category) });
    const sets = { heldOut: toEvalSet(label(held), size, deps.classifier), newHeldOut: toEvalSet(label(split.heldOut), size, deps.classifier) };
    const parentFigures = evaluateNet(parentNet, sets, deps.classifier, cfgSeed);
    await beat();
    const candidateFigures = evaluateNet(net, sets, deps.classifier, cfgSeed);
    const verdict = judge(parentFigures, candidateFigures);
    const compareImages = tf.tidy(() => tf.concat([sets.newHeldOut.images, sets.heldOut.images]).slice(0, SAMPLE_COUNT) as tf.Tensor4D);
    const report = new Map<string, Buffer>([
      ["report/current.png", gridPng(comparisonRows(parentNet, compareImages), size, 3)],
      ["report/candidate.png", gridPng(comparisonRows(net, compareImages), size, 3)],
    ]);
    tf.dispose([compareImages, sets.heldOut.images, sets.newHeldOut.images]);

    // ---- the version: all four nets of the alpha-GAN, the parent's AE unchanged, the report
    await beat({ phase: "saving" });
    const outDir = join(work, "out");
    await saveTrainable(net, join(outDir, "alpha-gan"), false);
    const files = await readDirFiles(outDir);
    const hash = createHash("sha256");
    for (const part of ["encoder", "generator"]) hash.update(await readFile(join(outDir, "alpha-gan", part, "weights.bin")));
    const version = `ft-${hash.digest("hex").slice(0, 10)}`;
    const metadata: VersionMetadata = {
      dataSince: params.dataSince, dataUntil: params.dataUntil, steps: done, seed: cfgSeed, learningRate: params.learningRate,
      categories: params.categories, counts,
    };
    files.set("alpha-gan/metadata.json", Buffer.from(JSON.stringify({ model: "alpha-gan", version, parent: job.parentVersion, ...metadata, lossesAtEnd: history.at(-1) ?? null }, null, 2)));
    for (const [path, body] of parent) if (path.startsWith("ae/")) files.set(path, body);
    for (const [path, body] of report) files.set(path, body);
    const figures: VersionFigures = { parent: parentFigures, candidate: candidateFigures, ...verdict, classifier: deps.classifierName };
    for (const model of Object.values(partsOf(parentNet))) model.dispose();
    await store.finish(id, attempt, {
      status: verdict.publishable ? "succeeded" : "rejected",
      error: verdict.publishable ? undefined : `Not publishable: ${verdict.reasons.join("; ")}.`,
      version: { version, parent: job.parentVersion, status: verdict.publishable ? "ready" : "rejected", metadata, figures, files },
    });
    deps.log(`job ${id}: ${version} ${verdict.publishable ? "ready to publish" : `rejected (${verdict.reasons.join("; ")})`}`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function flattenLosses(l: StepLosses): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [group, parts] of Object.entries(l)) {
    if (!parts) continue;
    for (const [k, v] of Object.entries(parts)) out[`${group}.${k}`] = v as number;
  }
  return out;
}
