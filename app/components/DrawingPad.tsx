"use client";
// The player's canvas. Mouse, pen and touch all arrive as pointer events; a gesture is
// drawn segment by segment as it happens and handed over as strokes when the pen lifts.
import { useEffect, useLayoutEffect, useRef, type PointerEvent as ReactPointerEvent } from "react";
import type { Point, Stroke } from "../../protocol";
import { useSizedCanvas } from "../lib/hooks";
import { drawDot, drawSegment, drawStrokes, prepareCanvas } from "../lib/render";
import { StrokeCapture, toBoxPoint, type Box } from "../lib/stroke-capture";

type Props = {
  /** Strokes already committed (stored or queued), redrawn whenever they change. */
  strokes: readonly Stroke[];
  /** ms since the round started, for each point's t. */
  elapsed: () => number;
  onStroke: (pieces: Point[][]) => void;
  /** The gesture so far, after every point it gains (live ink for the others). */
  onProgress?: (pieces: Point[][]) => void;
  label: string;
};

export function DrawingPad({ strokes, elapsed, onStroke, onProgress, label }: Props) {
  const { wrap, canvas, width } = useSizedCanvas();
  const capture = useRef(new StrokeCapture());
  const gesture = useRef<{ pointerId: number; box: Box } | null>(null);
  // The latest callback, for the unmount flush below.
  const onStrokeRef = useRef(onStroke);
  useLayoutEffect(() => {
    onStrokeRef.current = onStroke;
  });

  // Redraw committed strokes, then the gesture in progress on top (a redraw mid-gesture
  // must not wipe what the pen is drawing).
  useEffect(() => {
    if (!canvas.current || !width) return;
    const ctx = prepareCanvas(canvas.current, width);
    if (!ctx) return;
    const inProgress = capture.current.pieces().map((points, i) => ({ id: `live${i}`, points }));
    drawStrokes(ctx, [...strokes, ...inProgress]);
  }, [canvas, strokes, width]);

  // The round can end mid-gesture (the component unmounts): keep what was drawn.
  useEffect(
    () => () => {
      const pieces = capture.current.finish();
      if (pieces.length) onStrokeRef.current(pieces);
    },
    [],
  );

  function context() {
    return canvas.current?.getContext("2d") ?? null;
  }

  function pointAt(e: { clientX: number; clientY: number }, box: Box): Point {
    return toBoxPoint(e.clientX, e.clientY, box, elapsed());
  }

  function down(e: ReactPointerEvent<HTMLCanvasElement>) {
    if (gesture.current || (e.pointerType === "mouse" && e.button !== 0)) return;
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    const r = e.currentTarget.getBoundingClientRect();
    const box = { left: r.left, top: r.top, width: r.width, height: r.height };
    gesture.current = { pointerId: e.pointerId, box };
    const p = pointAt(e, box);
    capture.current.add(p);
    const ctx = context();
    if (ctx) drawDot(ctx, p);
    onProgress?.(capture.current.pieces());
  }

  function move(e: ReactPointerEvent<HTMLCanvasElement>) {
    const g = gesture.current;
    if (!g || e.pointerId !== g.pointerId) return;
    const ctx = context();
    // Coalesced events carry the points the browser merged into this one frame.
    const events = e.nativeEvent.getCoalescedEvents?.() ?? [];
    let moved = false;
    for (const ev of events.length ? events : [e.nativeEvent]) {
      const from = capture.current.lastPoint();
      const p = pointAt(ev, g.box);
      if (!capture.current.add(p)) continue;
      moved = true;
      if (from && ctx) drawSegment(ctx, from, p);
    }
    if (moved) onProgress?.(capture.current.pieces());
  }

  function up(e: ReactPointerEvent<HTMLCanvasElement>) {
    const g = gesture.current;
    if (!g || e.pointerId !== g.pointerId) return;
    gesture.current = null;
    const pieces = capture.current.finish();
    if (pieces.length) onStroke(pieces);
  }

  return (
    <div ref={wrap} className="pad">
      <canvas
        ref={canvas}
        className="pad-canvas"
        role="img"
        aria-label={label}
        data-testid="drawing-canvas"
        data-stroke-count={strokes.length}
        onPointerDown={down}
        onPointerMove={move}
        onPointerUp={up}
        onPointerCancel={up}
        onLostPointerCapture={up}
        onContextMenu={(e) => e.preventDefault()}
      />
    </div>
  );
}
