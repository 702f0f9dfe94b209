// The fine-tune job against the real PostgreSQL: admin auth, bad input, one job per trigger race,
// a worker killed with SIGKILL mid-job (the job resumes from its checkpoint), evaluation, publish
// with the browser-facing `model:active` event, roll-back, live progress and cancel between checkpoints.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { io as connect, type Socket } from "socket.io-client";
import { PROTOCOL_VERSION, type ModelVersionView } from "../../protocol";
import { startServer, type RunningServer } from "../../server/start";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database";
import { seedDoodles } from "../helpers/seed-doodles";
import { startWorker, stopWorker, waitFor } from "../helpers/finetune-worker";

const TOKEN = "integration-admin-token";
type Json = Record<string, any>;

describe("fine-tune job", { timeout: 300_000 }, () => {
  let db: TestDatabase, server: RunningServer, base: string, cookie: string, player: Socket;
  const pushed: ModelVersionView[] = [];
  const get = async (path: string, headers: Record<string, string> = { cookie }) => {
    const r = await fetch(`${base}${path}`, { headers, redirect: "manual" });
    return { status: r.status, body: r.headers.get("content-type")?.includes("json") ? ((await r.json()) as Json) : null, location: r.headers.get("location") };
  };
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const r = await fetch(`${base}${path}`, { method: "POST", headers: { "content-type": "application/json", origin: base, cookie, ...headers }, body: JSON.stringify(body) });
    return { status: r.status, body: (await r.json()) as Json, setCookie: r.headers.get("set-cookie") };
  };
  const job = async (id: string) => (await get(`/api/admin/jobs/${id}`)).body!;
  const finished = (id: string, ms = 120_000) =>
    waitFor(`job ${id} to finish`, async () => { const j = await job(id); return ["succeeded", "rejected", "failed", "cancelled"].includes(j.job.status) ? j : undefined; }, ms);

  before(async () => {
    db = await createTestDatabase();
    await seedDoodles(db.url, { cat: 12, "alarm clock": 8 });
    server = await startServer({ port: 0, databaseUrl: db.url, adminToken: TOKEN });
    base = `http://127.0.0.1:${server.port}`;
    cookie = "";
    player = connect(base, { transports: ["websocket"], auth: { protocolVersion: PROTOCOL_VERSION } });
    player.on("model:active", (v) => pushed.push(v));
    await new Promise<void>((resolve) => player.once("connect", () => resolve()));
  });
  after(async () => {
    player?.close();
    await server?.stop();
    await db?.drop();
  });

  test("refuses everything without the admin session", async () => {
    assert.equal((await get("/api/admin/overview", {})).status, 401);
    assert.equal((await post("/api/admin/finetune", { steps: 2 })).status, 401);
    assert.equal((await post("/api/admin/versions/shipped-0000000000/publish", {})).status, 401);
    assert.equal((await get("/admin", {})).status, 303);
    assert.equal((await get("/admin", {})).location, "/admin/login");
    assert.equal((await post("/api/admin/login", { token: "wrong" })).status, 401);
    // right token, but a cross-site request
    assert.equal((await post("/api/admin/login", { token: TOKEN }, { origin: "https://evil.example" })).status, 403);
    const login = await post("/api/admin/login", { token: TOKEN });
    assert.equal(login.status, 200);
    assert.match(login.setCookie!, /HttpOnly/);
    assert.match(login.setCookie!, /SameSite=Strict/);
    cookie = login.setCookie!.split(";")[0]!;
    assert.equal((await get("/api/admin/overview")).status, 200);
    // a session cookie does not let another site post
    assert.equal((await post("/api/admin/finetune", { steps: 2 }, { origin: "https://evil.example" })).status, 403);
    assert.equal((await get("/admin")).status, 404); // authenticated: on to the pages (none in this test server)
  });

  test("bad input is refused with a clear error", async () => {
    const cases: [unknown, RegExp][] = [
      [{ steps: "abc" }, /steps must be a whole number from 1 to 5000/],
      [{ steps: 1e9 }, /steps must be a whole number/],
      [{ steps: 2.5 }, /steps must be a whole number/],
      [{ learningRate: 5 }, /learningRate must be a number/],
      [{ categories: ["not a category"] }, /Unknown category: not a category/],
      [{ categories: ["airplane"] }, /Not enough new doodles in airplane: 0 drawn/],
      [{ extra: 1 }, /Unrecognized key/],
    ];
    for (const [body, message] of cases) {
      const r = await post("/api/admin/finetune", body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.match(r.body.error, message);
    }
  });

  test("two triggers at once make one job; a killed worker's job resumes from its checkpoint; publish reaches players", async () => {
    const [a, b] = await Promise.all([post("/api/admin/finetune", { steps: 5 }), post("/api/admin/finetune", { steps: 5 })]);
    assert.deepEqual([a.status, b.status].sort(), [202, 409]);
    const jobId = (a.status === 202 ? a : b).body.jobId as string;

    const first = startWorker(db.url);
    await waitFor("a checkpoint", async () => ((await job(jobId)).job.step >= 2 && /checkpoint at step 2/.test(first.output.join("")) ? true : undefined), 90_000);
    await stopWorker(first, "SIGKILL");
    const killedAt = (await job(jobId)).job;
    assert.equal(killedAt.status, "running");
    assert.equal((await get("/api/models/active")).body!.version.startsWith("shipped-"), true, "the active version stays usable");

    const second = startWorker(db.url);
    const workers = [second];
    try {
      const done = await finished(jobId);
      assert.equal(done.job.status, "succeeded", done.job.error);
      assert.ok(done.job.attempt >= 2, "a second attempt finished it");
      assert.match(second.output.join(""), /resuming from its checkpoint at step [2-5]/);
      assert.deepEqual(done.progress.map((p: Json) => p.step), [1, 2, 3, 4, 5]);
      assert.ok(done.progress.every((p: Json) => Number.isFinite(p.losses["eg.recon"]) && p.stepsPerSec > 0));
      assert.deepEqual(done.job.dataCounts, { newTrain: 18, newHeldOut: 2, replay: 64, heldOut: 64 });
      const sample = await fetch(`${base}/api/admin/jobs/${jobId}/sample.png`, { headers: { cookie } });
      assert.equal(sample.headers.get("content-type"), "image/png");

      const version = done.job.resultVersion as string;
      const { body: overview } = await get("/api/admin/overview");
      const row = overview!.versions.find((v: Json) => v.version === version);
      assert.equal(row.status, "ready");
      assert.ok(row.figures.candidate.heldOut.l1 > 0 && row.figures.parent.heldOut.l1 > 0);
      assert.equal(row.metadata.steps, 5);
      assert.equal((await fetch(`${base}/api/admin/versions/${version}/report/candidate.png`, { headers: { cookie } })).status, 200);

      // publish: every connected player hears of it, and the files are served
      const published = await post(`/api/admin/versions/${version}/publish`, {});
      assert.equal(published.status, 200);
      await waitFor("model:active", async () => (pushed.some((p) => p.version === version) ? true : undefined), 10_000);
      assert.deepEqual((await get("/api/models/active")).body, { version, files: `/api/models/${version}` });
      for (const file of ["alpha-gan/encoder/model.json", "alpha-gan/generator/weights.bin", "alpha-gan/trainable.json", "ae/encoder/model.json"]) {
        assert.equal((await fetch(`${base}/api/models/${version}/${file}`)).status, 200, file);
      }
      assert.equal((await get("/api/admin/overview")).body!.doodlesSinceActive.cat, undefined, "the doodles it saw are no longer new");

      // roll back to the shipped weights the same way
      const shipped = overview!.shipped as string;
      assert.equal((await post(`/api/admin/versions/${shipped}/publish`, {})).status, 200);
      await waitFor("roll-back event", async () => (pushed.at(-1)?.version === shipped ? true : undefined), 10_000);
      assert.equal((await get("/api/models/active")).body!.version, shipped);

      // cancel while it trains (far more steps than it can run before the request lands): the job
      // stops where it is, makes no version, and the active version stays. This worker checkpoints
      // only every 10 minutes, as a real one does: progress and the cancel must not wait for that.
      await stopWorker(second);
      const third = startWorker(db.url, { FINETUNE_CHECKPOINT_SEC: "600" });
      workers.push(third);
      const started = await post("/api/admin/finetune", { steps: 5000 });
      assert.equal(started.status, 202);
      await waitFor("live progress", async () => ((await job(started.body.jobId)).progress.length >= 2 ? true : undefined), 90_000);
      assert.equal((await post(`/api/admin/jobs/${started.body.jobId}/cancel`, {})).status, 200);
      const cancelled = await finished(started.body.jobId, 30_000);
      assert.equal(cancelled.job.status, "cancelled");
      assert.ok(cancelled.job.step < 5000, `stopped at step ${cancelled.job.step}`);
      assert.match(cancelled.job.error, /^Cancelled at step \d+ of 5000; the active version is unchanged\.$/);
      assert.equal(cancelled.job.resultVersion, null);
      assert.equal((await get("/api/models/active")).body!.version, shipped);
    } finally {
      for (const worker of workers) await stopWorker(worker);
    }
  });
});
