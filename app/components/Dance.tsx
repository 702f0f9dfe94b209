"use client";
// The doodles dance: this browser computes the alpha-GAN's morph frames for the plan the server
// made and plays them on the server's clock, so everyone in the room sees the same frame at the
// same moment. Pause, speed and picking two doodles step out of the shared beat (a button steps
// back in). Optional: the plain autoencoder's morph beside it; GIF and PNG downloads.
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { DANCE_TIMING, danceMoment, nearestDoodle, playheadElapsed, retime, type DanceMoment, type Playhead } from "../../game/dance";
import { danceModel } from "../lib/dance-model";
import { cachedDance, computeDance, framesHash, rememberDance, type DanceDoodle, type DanceFrames } from "../lib/dance-frames";
import { newPaintScratch, paintDance } from "../lib/dance-paint";
import { danceGif, danceStrip } from "../lib/dance-export";
import { saveFile } from "../lib/download";
import { useSizedCanvas } from "../lib/hooks";

const SPEEDS = [0.5, 1, 2] as const;
const PAINT_WINDOW = 60;
const GIF_SIZE = 240;
const STRIP_COLUMNS = 8;
const STRIP_CELL = 96;

type Props = {
  /** Stable id of the dance (a round id, "game-1"): a new id starts a new dance. */
  id: string;
  /** Server epoch ms when the loop starts. */
  startsAt: number;
  /** The doodles, in dance order. */
  doodles: readonly DanceDoodle[];
  /** Doodles a player may pick two of (e.g. every doodle of the game). */
  library?: readonly DanceDoodle[];
  /** Server clock offset (app/lib/clock.ts). */
  offset: number;
  title: string;
  /** File name stem for downloads. */
  fileName: string;
  /**
   * The server is still refining the doodles' codes: wait for them until the first morph would
   * start (the doodles hold as drawn until then), then encode here if they haven't come.
   */
  codesPending?: boolean;
};

/** key: this dance (a new key restarts it); frames: what its frames depend on besides the model. */
type Source = { key: string; frames: string; startsAt: number; doodles: readonly DanceDoodle[] };

const framesKey = (doodles: readonly DanceDoodle[]) => doodles.map((d) => `${d.key}#${d.strokes.length}#${d.code?.version ?? ""}`).join(",");

export function Dance({ id, startsAt, doodles, library, offset, title, fileName, codesPending = false }: Props) {
  const model = useSyncExternalStore(danceModel.subscribe, danceModel.getSnapshot, danceModel.getServerSnapshot);
  const [pick, setPick] = useState<{ from: string; to: string; startsAt: number } | null>(null);
  const [playhead, setPlayhead] = useState<Playhead>({ kind: "synced" });
  const [compare, setCompare] = useState(false);
  const [framesReady, setFramesReady] = useState({ gan: 0, ae: 0 });
  const [busy, setBusy] = useState<string | null>(null);
  const frames = useRef<{ gan: DanceFrames | null; ae: DanceFrames | null }>({ gan: null, ae: null });
  const main = useSizedCanvas();
  const side = useSizedCanvas();
  const label = useRef<HTMLSpanElement>(null);
  const root = useRef<HTMLDivElement>(null);

  // What dances: the plan, or the two doodles the player picked.
  const source: Source = useMemo(() => {
    const pool = library ?? doodles;
    const a = pick && pool.find((d) => d.key === pick.from), b = pick && pool.find((d) => d.key === pick.to);
    if (pick && a && b) return { key: `pick:${a.key}>${b.key}:${pick.startsAt}`, frames: framesKey([a, b]), startsAt: pick.startsAt, doodles: [a, b] };
    return { key: `${id}:${framesKey(doodles)}`, frames: framesKey(doodles), startsAt, doodles };
  }, [id, startsAt, doodles, library, pick]);

  // A new plan puts everyone back on the shared beat.
  useEffect(() => {
    setPick(null);
    setPlayhead({ kind: "synced" });
  }, [id]);

  const serverNow = () => Date.now() + offset;

  // Waiting for the server's codes, at most until the first morph begins.
  const [codesWaitOver, setCodesWaitOver] = useState(false);
  useEffect(() => {
    setCodesWaitOver(false);
    if (!codesPending || pick) return;
    const timer = setTimeout(() => setCodesWaitOver(true), Math.max(0, startsAt + DANCE_TIMING.holdMs - serverNow()));
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- serverNow is made from offset, which is listed
  }, [codesPending, pick, startsAt, offset]);
  const waitForCodes = codesPending && !pick && !codesWaitOver;

  // Compute the frames once per dance and model version (the AE's only when compared).
  useEffect(() => {
    if (model.state !== "ready" || source.doodles.length === 0 || waitForCodes) return;
    let cancelled = false;
    const nets = compare ? (["gan", "ae"] as const) : (["gan"] as const);
    frames.current = { gan: null, ae: null };
    setFramesReady({ gan: 0, ae: 0 });
    const planSeen = performance.now();
    void (async () => {
      for (const net of nets) {
        try {
          const cacheKey = `${model.version}|${net}|${source.frames}`;
          const cached = cachedDance(cacheKey);
          if (cached) {
            frames.current[net] = cached;
            setFramesReady((r) => ({ ...r, [net]: cached.count }));
            continue;
          }
          const m = await danceModel.model(net === "gan" ? "alpha-gan" : "ae");
          const first = danceMoment(playheadElapsed(playhead, serverNow(), source.startsAt, performance.now()), source.doodles.length).segment;
          const done = await computeDance(m, source.doodles, {
            firstSegment: first,
            // The server's codes are the alpha-GAN's; the AE encodes for itself.
            version: net === "gan" ? (model.version ?? undefined) : undefined,
            cancelled: () => cancelled,
            onUpdate: (f) => {
              if (cancelled) return;
              frames.current[net] = f;
              setFramesReady((r) => ({ ...r, [net]: f.segments.filter(Boolean).length }));
            },
          });
          if (cancelled) return;
          frames.current[net] = done;
          rememberDance(cacheKey, done);
          if (net === "gan" && root.current) {
            root.current.dataset.computeFirstMs = String(Math.round(done.timings.firstSegmentMs ?? 0));
            root.current.dataset.computeAllMs = String(Math.round(done.timings.allMs ?? 0));
            root.current.dataset.planToReadyMs = String(Math.round(performance.now() - planSeen));
            root.current.dataset.serverCodes = String(done.timings.serverCodes);
            root.current.dataset.framesHash = framesHash(done);
          }
        } catch (err) {
          console.warn("dance: computing frames failed", err);
        }
      }
    })();
    return () => {
      cancelled = true;
    };
    // Not on playhead: it only picks the first segment, and pausing must not recompute the frames.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- source.* change with source.key; serverNow with offset
  }, [model.state, model.version, source.key, compare, waitForCodes]);

  // Draw every display frame.
  useEffect(() => {
    let raf = 0;
    let firstPainted = false;
    // Mean time spent drawing a frame, over the last PAINT_WINDOW frames (for benchmarks).
    let paintSum = 0, painted = 0;
    const mounted = performance.now();
    const scratch = { main: newPaintScratch(), side: newPaintScratch() };
    const paint = (canvas: HTMLCanvasElement | null, cssWidth: number, frames: DanceFrames | null, m: DanceMoment, which: "main" | "side") =>
      canvas && cssWidth > 0 ? paintDance(canvas, cssWidth, { frames, doodles: source.doodles }, m, scratch[which]) : null;
    const loop = () => {
      raf = requestAnimationFrame(loop);
      const n = source.doodles.length;
      if (n === 0) return;
      const t0 = performance.now();
      const m = danceMoment(playheadElapsed(playhead, serverNow(), source.startsAt, t0), n);
      const shown = paint(main.canvas.current, main.width, frames.current.gan, m, "main");
      const drew = shown === "model" || shown === "mix";
      if (compare) paint(side.canvas.current, side.width, frames.current.ae, m, "side");
      if (drew) {
        paintSum += performance.now() - t0;
        if (++painted === PAINT_WINDOW && root.current) {
          root.current.dataset.paintMs = (paintSum / painted).toFixed(2);
          paintSum = painted = 0;
        }
      }
      const who = source.doodles[nearestDoodle(m)]?.caption ?? "";
      if (label.current && label.current.textContent !== who) label.current.textContent = who;
      if (root.current) {
        root.current.dataset.segment = String(m.segment);
        root.current.dataset.shown = shown ?? "";
        if (drew && !firstPainted) {
          firstPainted = true;
          root.current.dataset.firstPaintMs = String(Math.round(performance.now() - mounted));
        }
      }
    };
    raf = requestAnimationFrame(loop);
    return () => cancelAnimationFrame(raf);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the canvases are refs (stable); serverNow is made from offset
  }, [source, playhead, compare, main.width, side.width, offset]);

  const n = source.doodles.length;
  const complete = framesReady.gan === n && n > 0;
  const state =
    model.state === "unavailable" ? "unavailable"
    : model.state !== "ready" ? "loading"
    : complete && (!compare || framesReady.ae === n) ? "playing"
    : "computing";
  const paused = playhead.kind === "local" && playhead.paused;
  const speed = playhead.kind === "local" ? playhead.speed : 1;
  const change = (c: { paused?: boolean; speed?: number }) => setPlayhead((p) => retime(p, c, serverNow(), source.startsAt, performance.now()));

  async function download(kind: "gif" | "png") {
    const f = frames.current.gan;
    if (!f) return;
    setBusy(kind === "gif" ? "Making the GIF…" : "Making the PNG…");
    // Let the label paint before the (synchronous) encoding.
    await new Promise((r) => setTimeout(r, 30));
    try {
      let blob: Blob;
      if (kind === "gif") {
        const bytes = danceGif(f, source.doodles, GIF_SIZE);
        blob = new Blob([bytes.buffer as ArrayBuffer], { type: "image/gif" });
      } else {
        const strip = danceStrip(f, source.doodles, STRIP_COLUMNS, STRIP_CELL);
        const canvas = document.createElement("canvas");
        canvas.width = strip.width;
        canvas.height = strip.height;
        canvas.getContext("2d")!.putImageData(new ImageData(strip.rgba, strip.width, strip.height), 0, 0);
        blob = await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("no PNG"))), "image/png"));
      }
      saveFile(blob, `${fileName}.${kind}`);
    } finally {
      setBusy(null);
    }
  }

  if (doodles.length === 0 && !pick) return null;
  const pool = library ?? doodles;
  // A picked pair may come from any round: the title names the pair, not the round it replaced.
  const shownTitle = source.doodles === doodles ? title : `${source.doodles.map((d) => d.caption).join(" and ")} dance`;

  return (
    <section className="card dance" aria-label={title} data-testid="dance" data-state={state} data-dance-id={source.key} data-frames-ready={framesReady.gan} data-doodles={n} ref={root}>
      <header className="dance-head">
        <h2 className="card-title" data-testid="dance-title">{shownTitle}</h2>
        <span className="dance-who" aria-live="off" hidden={state === "unavailable"}>
          <span ref={label} data-testid="dance-label" />
        </span>
      </header>

      {state === "unavailable" ? (
        <p className="dance-unavailable" role="status" data-testid="dance-unavailable">
          {model.message} The doodles are below; everyone else still sees them dance.
        </p>
      ) : (
        <div className={`dance-stage ${compare ? "compare" : ""}`}>
          <figure className="dance-figure">
            <div ref={main.wrap} className="dance-canvas-wrap">
              <canvas ref={main.canvas} className="dance-canvas" role="img" aria-label={`${title}: the doodles morphing into each other`} data-testid="dance-canvas" />
              {state !== "playing" && (
                <div className="dance-overlay" data-testid="dance-progress">
                  {state === "loading" ? (
                    <>
                      Loading the dance model… <progress max={1} value={model.progress} />
                    </>
                  ) : (
                    <>Computing the dance… {framesReady.gan}/{n}</>
                  )}
                </div>
              )}
            </div>
            {compare && <figcaption>alpha-GAN</figcaption>}
          </figure>
          {/* Always mounted (hidden when off), so its size observer is running when it appears. */}
          <figure className="dance-figure" hidden={!compare}>
            <div ref={side.wrap} className="dance-canvas-wrap">
              <canvas ref={side.canvas} className="dance-canvas" role="img" aria-label="The same morph by the plain autoencoder" data-testid="dance-ae-canvas" />
            </div>
            <figcaption>plain autoencoder</figcaption>
          </figure>
        </div>
      )}

      {state !== "unavailable" && (
        <div className="dance-controls">
          <button className="btn" onClick={() => change({ paused: !paused })} data-testid="dance-play" aria-pressed={paused}>
            {paused ? "▶ Play" : "❚❚ Pause"}
          </button>
          <label className="dance-field">
            Speed
            <select value={speed} onChange={(e) => change({ speed: Number(e.target.value) })} data-testid="dance-speed">
              {SPEEDS.map((s) => (
                <option key={s} value={s}>
                  {s}×
                </option>
              ))}
            </select>
          </label>
          {playhead.kind === "local" && (
            <button className="btn" onClick={() => { setPick(null); setPlayhead({ kind: "synced" }); }} data-testid="dance-sync">
              Back in step with the room
            </button>
          )}
          <label className="dance-field check">
            <input type="checkbox" checked={compare} onChange={(e) => setCompare(e.target.checked)} data-testid="dance-compare" />
            Compare with the plain autoencoder
          </label>
          {pool.length >= 2 && (
            <span className="dance-field pick">
              Morph
              <PickSelect pool={pool} value={pick?.from ?? ""} testId="dance-pick-from" onChange={(from) => setPick({ from, to: pick?.to ?? pool.find((d) => d.key !== from)!.key, startsAt: serverNow() })} />
              into
              <PickSelect pool={pool} value={pick?.to ?? ""} testId="dance-pick-to" onChange={(to) => setPick({ from: pick?.from ?? pool.find((d) => d.key !== to)!.key, to, startsAt: serverNow() })} />
            </span>
          )}
          <span className="dance-save">
            <button className="btn" disabled={!complete || busy !== null} onClick={() => download("gif")} data-testid="dance-gif">
              Save GIF
            </button>
            <button className="btn" disabled={!complete || busy !== null} onClick={() => download("png")} data-testid="dance-png">
              Save frames (PNG)
            </button>
            {busy && <span className="dance-busy">{busy}</span>}
          </span>
        </div>
      )}
    </section>
  );
}

function PickSelect({ pool, value, onChange, testId }: { pool: readonly DanceDoodle[]; value: string; onChange: (key: string) => void; testId: string }) {
  return (
    <select value={value} onChange={(e) => e.target.value && onChange(e.target.value)} data-testid={testId}>
      <option value="">pick a doodle</option>
      {pool.map((d) => (
        <option key={d.key} value={d.key}>
          {d.caption}
        </option>
      ))}
    </select>
  );
}
