// Paths through latent space for the dance: pure math on codes, no tfjs. A morph from code a to
// code b follows the great circle between their directions (spherical interpolation) while the
// length goes linearly from |a| to |b|. A straight line would cut through the middle of the
// prior, where codes are shorter than any doodle's and decode to faint grey blobs; the arc stays
// at doodle-like lengths. For unit vectors it is the classic slerp and stays on the unit sphere.

function norm(v: Float32Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] as number) * (v[i] as number);
  return Math.sqrt(s);
}

/** Point t of the way from a to b (t = 0 gives a, t = 1 gives b, exactly). */
export function slerp(a: Float32Array, b: Float32Array, t: number): Float32Array {
  if (a.length !== b.length) throw new Error(`slerp: codes of length ${a.length} and ${b.length}`);
  if (t <= 0) return a.slice();
  if (t >= 1) return b.slice();
  const na = norm(a), nb = norm(b);
  const out = new Float32Array(a.length);
  if (na === 0 || nb === 0) {
    for (let i = 0; i < a.length; i++) out[i] = (a[i] as number) + t * ((b[i] as number) - (a[i] as number));
    return out;
  }
  let cos = 0;
  for (let i = 0; i < a.length; i++) cos += ((a[i] as number) / na) * ((b[i] as number) / nb);
  cos = Math.max(-1, Math.min(1, cos));
  const omega = Math.acos(cos);
  const sin = Math.sin(omega);
  // Nearly parallel: the arc is a straight line to float precision, and 1/sin would blow up.
  // Nearly opposite: the great circle is not unique; a straight line through the origin is as good.
  const [wa, wb] = sin < 1e-6 ? [1 - t, t] : [Math.sin((1 - t) * omega) / sin, Math.sin(t * omega) / sin];
  const length = (1 - t) * na + t * nb;
  let dirNorm = 0;
  for (let i = 0; i < a.length; i++) {
    const v = wa * ((a[i] as number) / na) + wb * ((b[i] as number) / nb);
    out[i] = v;
    dirNorm += v * v;
  }
  const scale = dirNorm > 0 ? length / Math.sqrt(dirNorm) : 0;
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) * scale;
  return out;
}

/** `frames` codes evenly spaced in t from a to b, both ends included (frames >= 2). */
export function morphPath(a: Float32Array, b: Float32Array, frames: number): Float32Array[] {
  if (frames < 2) throw new Error("a morph needs at least 2 frames");
  return Array.from({ length: frames }, (_, i) => slerp(a, b, i / (frames - 1)));
}

/** Angle in radians between two codes (for tests and diagnostics). */
export function angleBetween(a: Float32Array, b: Float32Array): number {
  const na = norm(a), nb = norm(b);
  if (na === 0 || nb === 0) return 0;
  let cos = 0;
  for (let i = 0; i < a.length; i++) cos += ((a[i] as number) * (b[i] as number)) / (na * nb);
  return Math.acos(Math.max(-1, Math.min(1, cos)));
}

export { norm as codeNorm };
