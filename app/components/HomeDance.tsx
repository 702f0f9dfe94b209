"use client";
// The game's signature on the home page: real Quick, Draw! doodles dancing into each other, as a
// room's doodles do after each round. The frames are precomputed (app/lib/home-dance.ts), so the
// dance starts with the page, no model to load and nothing to click; the room's timeline
// (game/dance.ts) and painter (app/lib/dance-paint.ts) play it. Under the stage, the doodles as
// drawn, the one the dance is nearest to marked. With reduced motion, everything stands still.
import { useEffect, useLayoutEffect, useRef } from "react";
import { danceMoment, nearestDoodle } from "../../game/dance";
import type { DanceDoodle } from "../lib/dance-frames";
import { newPaintScratch, paintDance } from "../lib/dance-paint";
import { unpackHomeDance, type HomeDanceAsset } from "../lib/home-dance";
import asset from "../lib/home-dance.json";
import { useSizedCanvas } from "../lib/hooks";
import { drawStrokes, prepareCanvas } from "../lib/render";

const dance = unpackHomeDance(asset as HomeDanceAsset);
const cast = dance.doodles.map((d) => d.caption).join(", ");

function Still({ doodle }: { doodle: DanceDoodle }) {
  const { wrap, canvas, width } = useSizedCanvas();
  useEffect(() => {
    const ctx = canvas.current && width ? prepareCanvas(canvas.current, width) : null;
    if (ctx) drawStrokes(ctx, doodle.strokes);
  }, [canvas, doodle, width]);
  return (
    <div ref={wrap} className="home-dance-still">
      <canvas ref={canvas} />
    </div>
  );
}

export function HomeDance() {
  const root = useRef<HTMLElement>(null);
  const stage = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const caption = useRef<HTMLSpanElement>(null);
  const stills = useRef<(HTMLLIElement | null)[]>([]);

  // A layout effect, and the stage's width read in each frame rather than kept in state: the first
  // frame is painted in the commit that hydrates the page, not one render and two effects later,
  // and a resize neither re-renders nor restarts the dance.
  useLayoutEffect(() => {
    const still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    const scratch = newPaintScratch();
    const startedAt = performance.now();
    let raf = 0;
    const frame = () => {
      const el = root.current, width = stage.current?.clientWidth ?? 0;
      if (!el || !canvas.current || width === 0) return;
      const m = danceMoment(still ? 0 : performance.now() - startedAt, dance.doodles.length);
      const painted = paintDance(canvas.current, width, dance, m, scratch);
      // performance.now() counts from navigation: the time a visitor waited for the dance.
      if (painted && el.dataset.firstPaintMs === undefined) el.dataset.firstPaintMs = String(Math.round(performance.now()));
      const who = nearestDoodle(m);
      if (caption.current && el.dataset.nearest !== String(who)) {
        caption.current.textContent = dance.doodles[who]?.caption ?? "";
        stills.current.forEach((li, i) => li?.classList.toggle("on", i === who));
        el.dataset.nearest = String(who);
      }
    };
    const loop = () => {
      frame();
      raf = requestAnimationFrame(loop);
    };
    if (still) frame();
    else loop();
    return () => cancelAnimationFrame(raf);
  }, []);

  return (
    <figure ref={root} className="home-dance" data-testid="home-dance">
      <div ref={stage} className="home-dance-stage">
        <canvas ref={canvas} data-testid="home-dance-canvas" role="img" aria-label={`Doodles morphing into each other: ${cast}`} />
      </div>
      <figcaption className="home-dance-caption">
        {/* Written by the animation loop, not React: it changes many times a second. */}
        <span ref={caption} className="home-dance-who" aria-hidden="true" />
        <span className="home-dance-note">Real players&apos; doodles, danced by the game&apos;s AI</span>
      </figcaption>
      <ol className="home-dance-cast" aria-hidden="true">
        {dance.doodles.map((d, i) => (
          <li key={d.key} ref={(li) => void (stills.current[i] = li)}>
            <Still doodle={d} />
          </li>
        ))}
      </ol>
    </figure>
  );
}
