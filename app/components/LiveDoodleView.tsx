"use client";
// Another player's doodle while they draw: their finished strokes, and the strokes in progress
// played out point by point at the pace they were drawn (live ink, app/lib/live-ink.ts). Between
// batches only the new segments are painted; the canvas is redrawn whole only when strokes change.
import { memo, useEffect, useLayoutEffect, useRef } from "react";
import type { Stroke } from "../../protocol";
import { useSizedCanvas } from "../lib/hooks";
import { dueCount, type PlayerLive } from "../lib/live-ink";
import { drawDot, drawSegment, drawStrokes, prepareCanvas } from "../lib/render";

type Props = {
  strokes: readonly Stroke[];
  /** This player's strokes in progress; undefined when none. */
  live: PlayerLive | undefined;
  label: string;
  testId?: string;
};

export const LiveDoodleView = memo(function LiveDoodleView({ strokes, live, label, testId = "live-doodle" }: Props) {
  const { wrap, canvas, width } = useSizedCanvas();
  const latest = useRef({ strokes, live });
  useLayoutEffect(() => {
    latest.current = { strokes, live };
  });
  /** What the canvas shows: the finished strokes at a width, and how many points of each live stroke. */
  const shown = useRef<{ strokes: readonly Stroke[] | null; width: number; live: Map<string, number> }>({ strokes: null, width: 0, live: new Map() });
  const frame = useRef<number | null>(null);

  useEffect(() => {
    const el = canvas.current;
    if (!el || !width) return;
    const ctx = prepareCanvas(el, width);
    if (!ctx) return;

    /** Paints what is due; true while points are still to come on screen. */
    const paint = (): boolean => {
      const { strokes, live = {} } = latest.current;
      const on = shown.current;
      // New finished strokes, a new size, or a stroke in progress that vanished (finished, undone, cleared): start afresh.
      if (on.strokes !== strokes || on.width !== width || [...on.live.keys()].some((id) => !(id in live))) {
        drawStrokes(ctx, strokes);
        shown.current = { strokes, width, live: new Map() };
      }
      const now = performance.now();
      let waiting = false;
      for (const [id, stroke] of Object.entries(live)) {
        const due = dueCount(stroke, now);
        const from = shown.current.live.get(id) ?? 0;
        if (due < stroke.points.length) waiting = true;
        if (due <= from) continue;
        if (due === 1) drawDot(ctx, stroke.points[0]!);
        for (let i = Math.max(1, from); i < due; i++) drawSegment(ctx, stroke.points[i - 1]!, stroke.points[i]!);
        shown.current.live.set(id, due);
      }
      return waiting;
    };
    const loop = () => {
      frame.current = paint() ? requestAnimationFrame(loop) : null;
    };
    if (paint()) frame.current ??= requestAnimationFrame(loop);
  }, [canvas, width, strokes, live]);

  useEffect(
    () => () => {
      if (frame.current !== null) cancelAnimationFrame(frame.current);
    },
    [],
  );

  const inProgress = Object.keys(live ?? {}).length;
  return (
    <div ref={wrap} className="doodle">
      <canvas
        ref={canvas}
        role="img"
        aria-label={strokes.length + inProgress ? label : `${label} (blank)`}
        data-testid={testId}
        data-stroke-count={strokes.length}
        data-live-count={inProgress}
      />
      {strokes.length + inProgress === 0 && <span className="doodle-empty" aria-hidden="true">blank</span>}
    </div>
  );
});
