"use client";
// Real Quick, Draw! doodles redrawing themselves on the home page, stroke by stroke.
import { useEffect } from "react";
import type { Point, Stroke } from "../../protocol";
import { heroDoodles, type HeroDoodle } from "../lib/hero-doodles";
import { useSizedCanvas } from "../lib/hooks";
import { drawSegment, drawStrokes, prepareCanvas } from "../lib/render";

/** Segments drawn per animation frame: about the pace of a quick hand. */
const SEGMENTS_PER_FRAME = 0.6;

function toStrokes(d: HeroDoodle): Stroke[] {
  return d.strokes.map((s, i) => ({ id: `${d.keyId}-${i}`, points: s.map(([x, y]): Point => [x, y, 0]) }));
}

function Replay({ doodle, delayMs }: { doodle: HeroDoodle; delayMs: number }) {
  const { wrap, canvas, width } = useSizedCanvas();

  useEffect(() => {
    if (!canvas.current || !width) return;
    const ctx = prepareCanvas(canvas.current, width);
    if (!ctx) return;
    const strokes = toStrokes(doodle);
    if (window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
      drawStrokes(ctx, strokes);
      return;
    }
    drawStrokes(ctx, []);
    const segments = strokes.flatMap((s) => s.points.slice(1).map((p, i) => [s.points[i]!, p] as const));
    let progress = 0;
    let drawn = 0;
    let frame = 0;
    const tick = () => {
      progress = Math.min(segments.length, progress + SEGMENTS_PER_FRAME);
      for (; drawn < Math.floor(progress); drawn++) drawSegment(ctx, ...segments[drawn]!);
      if (drawn < segments.length) frame = requestAnimationFrame(tick);
    };
    const start = setTimeout(() => (frame = requestAnimationFrame(tick)), delayMs);
    return () => {
      clearTimeout(start);
      cancelAnimationFrame(frame);
    };
  }, [canvas, doodle, width, delayMs]);

  return (
    <figure className="hero-doodle">
      <div ref={wrap} className="hero-doodle-paper">
        <canvas ref={canvas} aria-hidden="true" />
      </div>
      <figcaption>{doodle.word}</figcaption>
    </figure>
  );
}

export function HeroDoodles() {
  return (
    <div className="hero-doodles" role="img" aria-label="Doodles of a cat, a bicycle, a snail and a guitar by Quick, Draw! players">
      {heroDoodles.map((d, i) => (
        <Replay key={d.keyId} doodle={d} delayMs={300 + i * 900} />
      ))}
    </div>
  );
}
