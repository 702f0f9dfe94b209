"use client";
// A doodle replayed as it was drawn (timeline: app/lib/replay.ts), painted with the game's pen
// (render.ts drawStrokes, as every doodle is), so its last frame is the doodle exactly. Play and
// pause, three speeds, a scrubber for any moment, and the replay saved as a GIF. It plays as soon
// as it opens, unless the system asks for reduced motion: then it opens on the finished doodle.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import type { Stroke } from "../../protocol";
import { saveFile } from "../lib/download";
import { formatSeconds } from "../lib/guesser";
import { useSizedCanvas } from "../lib/hooks";
import { drawStrokes, prepareCanvas } from "../lib/render";
import { DEFAULT_REPLAY_SPEED, REPLAY_SPEEDS, replayTimeline, retime, strokesAt, type ReplaySpeed } from "../lib/replay";
import { replayGif } from "../lib/replay-gif";

/** The dance GIF's size. */
const GIF_SIZE = 240;

const reducedMotion = () => typeof window !== "undefined" && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

type Props = {
  strokes: readonly Stroke[];
  /** e.g. "Ann's cat": names the canvas and the scrubber for screen readers. */
  label: string;
  /** File name stem for the GIF. */
  fileName: string;
};

export function ReplayPlayer({ strokes, label, fileName }: Props) {
  const { wrap, canvas, width } = useSizedCanvas();
  const [speed, setSpeed] = useState<ReplaySpeed>(DEFAULT_REPLAY_SPEED);
  const timeline = useMemo(() => replayTimeline(strokes, { speed }), [strokes, speed]);
  const [still] = useState(reducedMotion);
  // The position lives in a ref for the animation loop; the state copy renders the scrubber and canvas.
  const position = useRef(still ? timeline.durationMs : 0);
  const [shownAt, setShownAt] = useState(position.current);
  const [playing, setPlaying] = useState(!still && timeline.durationMs > 0);
  const [saving, setSaving] = useState(false);

  const seek = (ms: number) => {
    position.current = ms;
    setShownAt(ms);
  };

  useEffect(() => {
    if (!playing) return;
    let last = performance.now();
    let frame = 0;
    const step = (now: number) => {
      const next = Math.min(timeline.durationMs, position.current + Math.max(0, now - last));
      last = now;
      position.current = next;
      setShownAt(next);
      if (next >= timeline.durationMs) setPlaying(false);
      else frame = requestAnimationFrame(step);
    };
    frame = requestAnimationFrame(step);
    return () => cancelAnimationFrame(frame);
  }, [playing, timeline]);

  // In the commit itself: the canvas never lags the scrubber and data-position-ms by a frame.
  useLayoutEffect(() => {
    if (!canvas.current || !width) return;
    const ctx = prepareCanvas(canvas.current, width);
    if (ctx) drawStrokes(ctx, strokesAt(timeline, shownAt));
  }, [canvas, width, timeline, shownAt]);

  function togglePlay() {
    if (!playing && position.current >= timeline.durationMs) seek(0);
    setPlaying(!playing);
  }

  function changeSpeed(next: ReplaySpeed) {
    // The same moment of the doodle on the new timeline: the picture stays put.
    seek(retime(timeline, replayTimeline(strokes, { speed: next }), position.current));
    setSpeed(next);
  }

  async function saveGif() {
    setSaving(true);
    // Let "Making the GIF…" paint before the (synchronous) encoding.
    await new Promise((r) => setTimeout(r, 30));
    try {
      const bytes = replayGif(strokes, GIF_SIZE, { speed });
      saveFile(new Blob([bytes.buffer as ArrayBuffer], { type: "image/gif" }), `${fileName}.gif`);
    } finally {
      setSaving(false);
    }
  }

  const ended = shownAt >= timeline.durationMs;
  return (
    <div
      className="replay"
      data-testid="replay"
      data-playing={playing}
      data-position-ms={Math.round(shownAt)}
      data-duration-ms={Math.round(timeline.durationMs)}
    >
      <div ref={wrap} className="replay-canvas-wrap">
        <canvas ref={canvas} role="img" aria-label={`${label}, being drawn`} data-testid="replay-canvas" />
      </div>
      <div className="replay-bar">
        <button
          type="button"
          className="btn small replay-play"
          onClick={togglePlay}
          aria-label={playing ? "Pause the replay" : ended ? "Replay from the start" : "Play the replay"}
          data-testid="replay-play"
        >
          {playing ? "❚❚" : ended ? "↺" : "▶"}
        </button>
        <input
          type="range"
          className="replay-scrubber"
          min={0}
          max={Math.max(1, Math.round(timeline.durationMs))}
          step={1}
          value={Math.round(shownAt)}
          onChange={(e) => {
            setPlaying(false);
            seek(Math.min(timeline.durationMs, Number(e.target.value)));
          }}
          aria-label={`Moment of ${label}'s replay`}
          aria-valuetext={`${formatSeconds(shownAt)} of ${formatSeconds(timeline.durationMs)}`}
          data-testid="replay-scrubber"
        />
        <span className="replay-time" aria-hidden="true">
          {(shownAt / 1000).toFixed(1)}/{formatSeconds(timeline.durationMs)}
        </span>
      </div>
      <div className="replay-bar">
        <span className="replay-speeds" role="group" aria-label="Replay speed">
          {REPLAY_SPEEDS.map((s) => (
            <button
              key={s}
              type="button"
              className={`btn small ${s === speed ? "primary" : ""}`}
              aria-pressed={s === speed}
              onClick={() => changeSpeed(s)}
              data-testid="replay-speed"
            >
              {s}×
            </button>
          ))}
        </span>
        <button type="button" className="btn small replay-gif" onClick={saveGif} disabled={saving} data-testid="replay-gif">
          {saving ? "Making the GIF…" : "Save replay as GIF"}
        </button>
      </div>
    </div>
  );
}
