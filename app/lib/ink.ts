// Ink coverage maps (0..1) as pictures: the paper and ink colours, coverage to RGBA, and the
// difference of two maps. Pure TS, so Node tests and the browser agree.

/** Paper and ink, the same colours the live doodles use (globals.css --paper-card, render.ts INK). */
export const PAPER_RGB = [255, 253, 248] as const;
export const INK_RGB = [31, 36, 51] as const;

/** Coverage to opaque RGBA: paper where 0, ink where 1. */
export function coverageToRGBA(coverage: Float32Array, out: Uint8ClampedArray = new Uint8ClampedArray(coverage.length * 4)): Uint8ClampedArray {
  const [pr, pg, pb] = PAPER_RGB, [ir, ig, ib] = INK_RGB;
  for (let i = 0; i < coverage.length; i++) {
    const c = coverage[i] as number, o = i * 4;
    out[o] = pr + c * (ir - pr);
    out[o + 1] = pg + c * (ig - pg);
    out[o + 2] = pb + c * (ib - pb);
    out[o + 3] = 255;
  }
  return out;
}

/** Mean absolute difference of two ink maps of the same size (the reconstruction check's L1). */
export function meanAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error("meanAbsDiff: sizes differ");
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs((a[i] as number) - (b[i] as number));
  return s / Math.max(1, a.length);
}
