// Latency summaries for benchmarks: nearest-rank percentiles over all samples (no sampling),
// so p99 and max reflect the real tail.
export type Summary = { count: number; p50: number; p95: number; p99: number; max: number };

export function summarize(samples: ArrayLike<number>): Summary {
  const sorted = Float64Array.from(samples).sort();
  const rank = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN);
  return { count: sorted.length, p50: rank(50), p95: rank(95), p99: rank(99), max: sorted.length ? sorted[sorted.length - 1]! : NaN };
}
