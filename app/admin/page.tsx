"use client";
// The admin page: doodles collected since the active version, model versions with their figures,
// starting, watching and cancelling a fine-tune, before/after images, publish and roll back.
// Talks to /api/admin/* (server/http/admin-routes.ts); the server only lets a session in here.
import { useCallback, useEffect, useState } from "react";
import "./admin.css";

type Figures = { heldOut: { n: number; l1: number; top5: number | null }; newHeldOut: { n: number; l1: number; top5: number | null }; midpoints: { n: number; top5: number | null } };
type Version = { version: string; parent: string; status: "ready" | "rejected"; createdAt: string; metadata: { steps: number; learningRate: number; counts: Record<string, number> }; figures: { parent: Figures; candidate: Figures; reasons: string[] } };
type Job = { id: string; status: string; phase: string; step: number; totalSteps: number; error: string | null; resultVersion: string | null; parentVersion: string; dataCounts: Record<string, number> | null; sampleStep: number | null; cancelRequested: boolean };
type Progress = { step: number; losses: Record<string, number>; stepsPerSec: number };
type Overview = { active: string; shipped: string; doodlesSinceActive: Record<string, number>; versions: Version[]; jobs: Job[]; defaults: { steps: number; learningRate: number }; categories: string[]; activations: { version: string }[] };

const OPEN = ["queued", "running"];
const CHART_KEYS: [string, string][] = [["eg.recon", "#4f7cff"], ["disc.d", "#ef6f6c"], ["disc.c", "#3aa76d"]];

async function call<T>(path: string, body?: unknown): Promise<T> {
  const r = await fetch(path, body === undefined ? { cache: "no-store" } : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (r.status === 401) window.location.assign("/admin/login");
  const data = (await r.json()) as T & { error?: string };
  if (!r.ok) throw new Error(data.error ?? `HTTP ${r.status}`);
  return data;
}

const pct = (v: number | null | undefined) => (v === null || v === undefined ? "–" : `${(100 * v).toFixed(1)}%`);
const l1 = (v: number | undefined, n?: number) => (v === undefined || n === 0 ? "–" : v.toFixed(4));
type Change = { text: string; tone: "better" | "worse" | "" };
const NO_CHANGE: Change = { text: "–", tone: "" };
/** candidate − current, signed; `better` is +1 when higher is better, −1 when lower is. */
function change(before: number | null, after: number | null, better: 1 | -1, digits: number, scale = 1): Change {
  if (before === null || after === null) return NO_CHANGE;
  const d = (after - before) * scale;
  const text = `${d > 0 ? "+" : d < 0 ? "−" : "±"}${Math.abs(d).toFixed(digits)}${scale === 100 ? " pts" : ""}`;
  if (Math.abs(d) < 0.5 * 10 ** -digits) return { text, tone: "" };
  return { text, tone: d * better > 0 ? "better" : "worse" };
}
const eta = (s: number) => (Number.isFinite(s) ? (s >= 60 ? `${Math.floor(s / 60)} min ${Math.round(s % 60)} s` : `${Math.round(s)} s`) : "–");

function LossChart({ progress }: { progress: Progress[] }) {
  if (progress.length < 2) return <p className="muted">The loss chart appears after two steps.</p>;
  const w = 600, h = 160, pad = 6;
  const x = (i: number) => pad + (i / (progress.length - 1)) * (w - 2 * pad);
  return (
    <div>
      <svg className="admin-chart" viewBox={`0 0 ${w} ${h}`} preserveAspectRatio="none" role="img" aria-label="losses per step" data-testid="loss-chart">
        {CHART_KEYS.map(([key, color]) => {
          const values = progress.map((p) => p.losses[key] ?? NaN).filter(Number.isFinite);
          if (values.length < 2) return null;
          const lo = Math.min(...values), hi = Math.max(...values), span = hi - lo || 1;
          const d = progress.map((p, i) => `${i ? "L" : "M"}${x(i).toFixed(1)},${(h - pad - (((p.losses[key] ?? lo) - lo) / span) * (h - 2 * pad)).toFixed(1)}`).join(" ");
          return <path key={key} d={d} fill="none" stroke={color} strokeWidth={2} vectorEffect="non-scaling-stroke" />;
        })}
      </svg>
      <p className="muted">Each line scaled to its own range: {CHART_KEYS.map(([k, c]) => <span key={k} style={{ color: c, marginRight: 10 }}>■ {k} {progress.at(-1)?.losses[k]?.toFixed(3)}</span>)}</p>
    </div>
  );
}

function JobPanel({ job, onChange }: { job: Job; onChange: () => void }) {
  const [progress, setProgress] = useState<Progress[]>([]);
  const [current, setCurrent] = useState(job);
  useEffect(() => {
    let stop = false, after = 0;
    setProgress([]);
    const tick = async () => {
      const data = await call<{ job: Job; progress: Progress[] }>(`/api/admin/jobs/${job.id}?after=${after}`).catch(() => null);
      if (stop || !data) return;
      if (data.progress.length) {
        after = data.progress.at(-1)!.step;
        setProgress((p) => [...p, ...data.progress]);
      }
      setCurrent(data.job);
      if (!OPEN.includes(data.job.status)) onChange();
      else setTimeout(tick, 1000);
    };
    void tick();
    return () => { stop = true; };
  }, [job.id, onChange]);
  const done = current.step / current.totalSteps;
  const recent = progress.slice(-10);
  const sps = recent.length ? recent.reduce((s, p) => s + p.stepsPerSec, 0) / recent.length : NaN;
  return (
    <section className="card stack" data-testid="job" data-status={current.status}>
      <h2 className="card-title">Fine-tune <span className="mono">{current.id.slice(0, 8)}</span> <span className="admin-badge">{current.status}{OPEN.includes(current.status) ? ` · ${current.phase}` : ""}</span></h2>
      <div className="admin-progress" role="progressbar" aria-valuenow={Math.round(100 * done)} aria-valuemin={0} aria-valuemax={100}><div style={{ width: `${100 * done}%` }} /></div>
      <p data-testid="job-progress">
        Step {current.step} / {current.totalSteps} ({Math.round(100 * done)}%) · {Number.isFinite(sps) ? `${sps.toFixed(2)} steps/s` : "–"}
        {current.status === "running" && (current.step < current.totalSteps ? ` · ETA ${eta((current.totalSteps - current.step) / sps)}` : " · evaluating against the current version")}
      </p>
      {current.dataCounts && <p className="muted">Data: {current.dataCounts.newTrain} new doodles to learn, {current.dataCounts.newHeldOut} held out, {current.dataCounts.replay} replayed originals; evaluated on {current.dataCounts.heldOut} held-out originals.</p>}
      <LossChart progress={progress} />
      {current.sampleStep !== null && (
        <figure className="admin-images">
          <img src={`/api/admin/jobs/${current.id}/sample.png?step=${current.sampleStep}`} alt={`new doodles (top) and their reconstructions at step ${current.sampleStep}`} />
          <figcaption className="muted">New doodles (top) and their reconstructions at step {current.sampleStep}.</figcaption>
        </figure>
      )}
      {current.error && <p className={current.status === "cancelled" ? "muted" : "field-error"} role="status">{current.error}</p>}
      {OPEN.includes(current.status) && (
        <button className="btn danger" disabled={current.cancelRequested} onClick={() => void call(`/api/admin/jobs/${current.id}/cancel`, {}).then(() => setCurrent({ ...current, cancelRequested: true }))}>
          {current.cancelRequested ? "Cancelling…" : "Cancel"}
        </button>
      )}
    </section>
  );
}

function Compare({ version }: { version: Version }) {
  const f = version.figures;
  // [figure, current, candidate, change]; lower L1 is better, higher top-5 is better.
  const rows: [string, string, string, Change][] = [
    ["held-out L1 (lower is better)", l1(f.parent.heldOut.l1), l1(f.candidate.heldOut.l1), change(f.parent.heldOut.l1, f.candidate.heldOut.l1, -1, 4)],
    ["new doodles' L1", l1(f.parent.newHeldOut.l1, f.parent.newHeldOut.n), l1(f.candidate.newHeldOut.l1, f.candidate.newHeldOut.n), f.candidate.newHeldOut.n ? change(f.parent.newHeldOut.l1, f.candidate.newHeldOut.l1, -1, 4) : NO_CHANGE],
    ["held-out reconstruction top-5", pct(f.parent.heldOut.top5), pct(f.candidate.heldOut.top5), change(f.parent.heldOut.top5, f.candidate.heldOut.top5, 1, 1, 100)],
    ["new doodles' top-5", pct(f.parent.newHeldOut.top5), pct(f.candidate.newHeldOut.top5), change(f.parent.newHeldOut.top5, f.candidate.newHeldOut.top5, 1, 1, 100)],
    ["same-category midpoint top-5", pct(f.parent.midpoints.top5), pct(f.candidate.midpoints.top5), change(f.parent.midpoints.top5, f.candidate.midpoints.top5, 1, 1, 100)],
  ];
  return (
    <section className="card stack" data-testid="compare">
      <h2 className="card-title">Before / after: <span className="mono">{version.parent}</span> → <span className="mono">{version.version}</span></h2>
      <table className="admin-table"><thead><tr><th /><th className="num">current</th><th className="num">candidate</th><th className="num">change</th></tr></thead>
        <tbody>{rows.map(([k, a, b, c]) => <tr key={k}><td>{k}</td><td className="num">{a}</td><td className="num">{b}</td><td className={`num ${c.tone}`}>{c.text}</td></tr>)}</tbody></table>
      {f.reasons.length > 0 ? <p className="field-error">Rejected: {f.reasons.join("; ")}.</p> : <p className="admin-ok">Passed the publish gate: no figure worse than its margin.</p>}
      <p className="muted">Each image: the same held-out doodles (top row), their reconstructions (middle), morph midpoints of neighbouring pairs (bottom).</p>
      <div className="admin-images admin-side-by-side">
        {(["current", "candidate"] as const).map((which) => (
          <figure key={which}>
            <img src={`/api/admin/versions/${version.version}/report/${which}.png`} alt={`${which}: doodles, reconstructions, midpoints`} />
            <figcaption className="muted">{which === "current" ? <>current: <span className="mono">{version.parent}</span></> : <>candidate: <span className="mono">{version.version}</span></>}</figcaption>
          </figure>
        ))}
      </div>
    </section>
  );
}

export default function AdminPage() {
  const [overview, setOverview] = useState<Overview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [form, setForm] = useState({ steps: "", learningRate: "", categories: "" });
  const [openJob, setOpenJob] = useState<Job | null>(null);
  const [compare, setCompare] = useState<string | null>(null);
  const refresh = useCallback(() => {
    call<Overview>("/api/admin/overview").then((o) => {
      setOverview(o);
      setOpenJob((j) => (j && o.jobs.find((x) => x.id === j.id)) ?? j ?? o.jobs.find((x) => OPEN.includes(x.status)) ?? o.jobs[0] ?? null);
    }, (e: Error) => setError(e.message));
  }, []);
  useEffect(refresh, [refresh]);
  if (!overview) return <p className="muted">{error ?? "Loading…"}</p>;

  const counts = Object.entries(overview.doodlesSinceActive);
  const running = overview.jobs.find((j) => OPEN.includes(j.status));
  async function start(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    const body: Record<string, unknown> = {};
    if (form.steps.trim()) body.steps = /^\s*-?\d+(\.\d+)?\s*$/.test(form.steps) ? Number(form.steps) : form.steps;
    if (form.learningRate.trim()) body.learningRate = Number.isFinite(Number(form.learningRate)) ? Number(form.learningRate) : form.learningRate;
    const cats = form.categories.split(",").map((c) => c.trim()).filter(Boolean);
    if (cats.length) body.categories = cats;
    try {
      const { jobId } = await call<{ jobId: string }>("/api/admin/finetune", body);
      setOpenJob({ id: jobId, status: "queued", phase: "queued", step: 0, totalSteps: Number(body.steps ?? overview!.defaults.steps), error: null, resultVersion: null, parentVersion: overview!.active, dataCounts: null, sampleStep: null, cancelRequested: false });
      refresh();
    } catch (err) {
      setError((err as Error).message);
    }
  }
  async function publish(version: string) {
    setError(null);
    await call(`/api/admin/versions/${version}/publish`, {}).then(refresh, (e: Error) => setError(e.message));
  }
  const compared = overview.versions.find((v) => v.version === (compare ?? openJob?.resultVersion));
  const versions: { version: string; status: string; v?: Version }[] = [...overview.versions.map((v) => ({ version: v.version, status: v.status, v })), { version: overview.shipped, status: "shipped" }];

  return (
    <div className="stack" data-testid="admin" data-active={overview.active}>
      <div className="row"><h1 className="page-title grow">Model admin</h1>
        <button className="btn ghost small" onClick={() => void call("/api/admin/logout", {}).then(() => window.location.assign("/admin/login"))}>Log out</button></div>
      <p>Active version: <span className="mono" data-testid="active-version">{overview.active}</span></p>
      {error && <p className="field-error" role="alert" data-testid="admin-error">{error}</p>}
      <div className="admin-grid">
        <section className="card stack">
          <h2 className="card-title">New doodles since {overview.active} <span className="count">{counts.reduce((s, [, n]) => s + n, 0)}</span></h2>
          {counts.length === 0 ? <p className="muted">None yet: players' doodles appear here as they play.</p> : (
            <div className="admin-scroll"><table className="admin-table" data-testid="doodle-counts"><tbody>
              {counts.map(([c, n]) => <tr key={c}><td>{c}</td><td className="num">{n}</td></tr>)}
            </tbody></table></div>
          )}
        </section>
        <form className="card stack" onSubmit={start} data-testid="finetune-form">
          <h2 className="card-title">Fine-tune the alpha-GAN</h2>
          <div className="admin-form">
            <label className="label" htmlFor="ft-steps">Steps</label>
            <input id="ft-steps" className="input" inputMode="numeric" placeholder={String(overview.defaults.steps)} value={form.steps} onChange={(e) => setForm({ ...form, steps: e.target.value })} />
            <label className="label" htmlFor="ft-lr">Learning rate</label>
            <input id="ft-lr" className="input" inputMode="decimal" placeholder={String(overview.defaults.learningRate)} value={form.learningRate} onChange={(e) => setForm({ ...form, learningRate: e.target.value })} />
            <label className="label" htmlFor="ft-cats">Categories</label>
            <input id="ft-cats" className="input" list="ft-categories" placeholder="all with new doodles (or: cat, dog)" value={form.categories} onChange={(e) => setForm({ ...form, categories: e.target.value })} />
            <datalist id="ft-categories">{overview.categories.map((c) => <option key={c} value={c} />)}</datalist>
          </div>
          <p className="muted">Trains from {overview.active} on the new doodles plus a replay of the original data, then compares it with {overview.active} on held-out doodles.</p>
          <button className="btn primary" type="submit" disabled={Boolean(running)}>{running ? "A fine-tune is running" : "Start fine-tune"}</button>
        </form>
      </div>
      {openJob && <JobPanel key={openJob.id} job={openJob} onChange={refresh} />}
      {compared && <Compare version={compared} />}
      <section className="card stack">
        <h2 className="card-title">Model versions</h2>
        <table className="admin-table" data-testid="versions"><thead><tr><th>version</th><th>status</th><th>from</th><th className="num">steps</th><th className="num">held-out L1</th><th className="num">new L1</th><th className="num">top-5</th><th /></tr></thead>
          <tbody>{versions.map(({ version, status, v }) => (
            <tr key={version} data-version={version}>
              <td className="mono">{version}</td>
              <td><span className={`admin-badge ${version === overview.active ? "active" : status}`}>{version === overview.active ? "active" : status}</span></td>
              <td className="mono">{v?.parent ?? "–"}</td>
              <td className="num">{v?.metadata.steps ?? "–"}</td>
              <td className="num">{l1(v?.figures.candidate.heldOut.l1)}</td>
              <td className="num">{l1(v?.figures.candidate.newHeldOut.l1, v?.figures.candidate.newHeldOut.n)}</td>
              <td className="num">{pct(v?.figures.candidate.heldOut.top5)}</td>
              <td>
                {v && <button className="btn ghost small" onClick={() => setCompare(version)}>Compare</button>}{" "}
                {version !== overview.active && status !== "rejected" && (
                  <button className="btn small" onClick={() => void publish(version)}>{overview.activations.some((a) => a.version === version) || status === "shipped" ? "Roll back to this" : "Publish"}</button>
                )}
              </td>
            </tr>
          ))}</tbody></table>
      </section>
    </div>
  );
}
