"use client";
// A read-only doodle: strokes rendered to a square canvas that fills its container.
import { memo, useEffect } from "react";
import type { Stroke } from "../../protocol";
import { useSizedCanvas } from "../lib/hooks";
import { drawStrokes, prepareCanvas } from "../lib/render";

type Props = {
  strokes: readonly Stroke[];
  /** Read out by screen readers, e.g. "Ada's drawing of a cat". */
  label: string;
  testId?: string;
  className?: string;
};

export const DoodleView = memo(function DoodleView({ strokes, label, testId = "doodle", className }: Props) {
  const { wrap, canvas, width } = useSizedCanvas();

  useEffect(() => {
    if (!canvas.current || !width) return;
    const ctx = prepareCanvas(canvas.current, width);
    if (ctx) drawStrokes(ctx, strokes);
  }, [canvas, strokes, width]);

  return (
    <div ref={wrap} className={`doodle ${className ?? ""}`}>
      <canvas
        ref={canvas}
        role="img"
        aria-label={strokes.length ? label : `${label} (blank)`}
        data-testid={testId}
        data-stroke-count={strokes.length}
      />
      {strokes.length === 0 && <span className="doodle-empty" aria-hidden="true">blank</span>}
    </div>
  );
});
