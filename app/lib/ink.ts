// Turns the model's 28x28 ink maps into large, crisp ink-on-paper images. A 28-pixel bitmap
// scaled up by the browser is a blur; instead the map is resampled with a smooth (Catmull-Rom
// bicubic) kernel, which keeps the strokes' round shapes, and then passed through a contrast
// curve that turns the soft ramps at the strokes' edges into a narrow anti-aliased edge: the
// stroke keeps its width (the curve's midpoint sits where the rasterizer's coverage is one half)
// but reads as ink, not as a grey smudge. Pure TS, so Node tests and the browser agree.

/** Paper and ink, the same colours the live doodles use (globals.css --paper-card, render.ts INK). */
export const PAPER_RGB = [255, 253, 248] as const;
export const INK_RGB = [31, 36, 51] as const;

/** Below `lo` is paper, above `hi` solid ink, smooth in between. */
export const INK_LO = 0.35;
export const INK_HI = 0.6;

export function inkCurve(v: number): number {
  const x = (v - INK_LO) / (INK_HI - INK_LO);
  const c = x <= 0 ? 0 : x >= 1 ? 1 : x;
  return c * c * (3 - 2 * c);
}

/** Catmull-Rom weights for the 4 taps around a sample at fractional offset f. */
function cubicWeights(f: number, w: Float32Array, o: number): void {
  const f2 = f * f, f3 = f2 * f;
  w[o] = -0.5 * f3 + f2 - 0.5 * f;
  w[o + 1] = 1.5 * f3 - 2.5 * f2 + 1;
  w[o + 2] = -1.5 * f3 + 2 * f2 + 0.5 * f;
  w[o + 3] = 0.5 * f3 - 0.5 * f2;
}

type Taps = { index: Int32Array; weight: Float32Array };
const tapCache = new Map<string, Taps>();

/** For each output column, its 4 source columns (clamped at the border) and their weights. */
function taps(src: number, dst: number): Taps {
  const key = `${src}:${dst}`;
  const cached = tapCache.get(key);
  if (cached) return cached;
  const index = new Int32Array(dst * 4), weight = new Float32Array(dst * 4);
  for (let x = 0; x < dst; x++) {
    // Pixel centres line up: output centre x + 0.5 sits at source position (x + 0.5) * src / dst.
    const s = ((x + 0.5) * src) / dst - 0.5;
    const i = Math.floor(s);
    cubicWeights(s - i, weight, x * 4);
    for (let k = 0; k < 4; k++) index[x * 4 + k] = Math.min(src - 1, Math.max(0, i - 1 + k));
  }
  const t = { index, weight };
  tapCache.set(key, t);
  return t;
}

/** Entries in the lookup tables below: the curve's steepest part spans ~100 of them. */
const LUT_SIZE = 1024;

/** inkCurve as a table (index = resampled ink * (LUT_SIZE - 1)). */
const COVERAGE_LUT = Float32Array.from({ length: LUT_SIZE }, (_, i) => inkCurve(i / (LUT_SIZE - 1)));

/** Paper-to-ink colours after the curve, as little-endian RGBA words (one store per pixel). */
const RGBA_LUT = (() => {
  const [pr, pg, pb] = PAPER_RGB, [ir, ig, ib] = INK_RGB;
  return Uint32Array.from(COVERAGE_LUT, (c) => {
    const r = Math.round(pr + c * (ir - pr)), g = Math.round(pg + c * (ig - pg)), b = Math.round(pb + c * (ib - pb));
    return ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;
  });
})();

/**
 * Resamples a srcSize^2 ink map (0..1, row-major) to size^2 and maps each value through `lut`
 * (the contrast curve, or curve and colours). Tables instead of arithmetic per pixel: this runs
 * for every display frame (a 480-pixel square is 230,000 pixels).
 */
function resample<T extends Float32Array | Uint32Array>(src: Float32Array, srcSize: number, size: number, out: T, lut: T): T {
  const t = taps(srcSize, size);
  // Horizontal pass: srcSize rows of `size` samples.
  const rows = new Float32Array(srcSize * size);
  for (let y = 0; y < srcSize; y++) {
    const row = y * srcSize, o = y * size;
    for (let x = 0; x < size; x++) {
      const k = x * 4;
      rows[o + x] =
        (t.weight[k] as number) * (src[row + (t.index[k] as number)] as number) +
        (t.weight[k + 1] as number) * (src[row + (t.index[k + 1] as number)] as number) +
        (t.weight[k + 2] as number) * (src[row + (t.index[k + 2] as number)] as number) +
        (t.weight[k + 3] as number) * (src[row + (t.index[k + 3] as number)] as number);
    }
  }
  const top = LUT_SIZE - 1;
  // Vertical pass, then the table.
  for (let y = 0; y < size; y++) {
    const k = y * 4;
    const r0 = (t.index[k] as number) * size, r1 = (t.index[k + 1] as number) * size;
    const r2 = (t.index[k + 2] as number) * size, r3 = (t.index[k + 3] as number) * size;
    const w0 = t.weight[k] as number, w1 = t.weight[k + 1] as number, w2 = t.weight[k + 2] as number, w3 = t.weight[k + 3] as number;
    const o = y * size;
    for (let x = 0; x < size; x++) {
      const v = w0 * (rows[r0 + x] as number) + w1 * (rows[r1 + x] as number) + w2 * (rows[r2 + x] as number) + w3 * (rows[r3 + x] as number);
      const i = (v * top + 0.5) | 0;
      out[o + x] = lut[i < 0 ? 0 : i > top ? top : i] as number;
    }
  }
  return out;
}

/** Upscaled ink with the contrast curve applied: coverage 0..1 (the GIF's and the tests' form). */
export function upscaleInk(src: Float32Array, srcSize: number, size: number, out: Float32Array = new Float32Array(size * size)): Float32Array {
  return resample(src, srcSize, size, out, COVERAGE_LUT);
}

/** Upscaled, curved and coloured in one pass, into the 32-bit view of an ImageData's pixels. */
export function upscaleInkRGBA(src: Float32Array, srcSize: number, size: number, out: Uint32Array): Uint32Array {
  return resample(src, srcSize, size, out, RGBA_LUT);
}

/** (1 - w) * a + w * b, per pixel: the in-between of two neighbouring morph frames. */
export function blendInk(a: Float32Array, b: Float32Array, w: number, out: Float32Array = new Float32Array(a.length)): Float32Array {
  for (let i = 0; i < a.length; i++) out[i] = (a[i] as number) + w * ((b[i] as number) - (a[i] as number));
  return out;
}

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
