// A token bucket per socket: short bursts pass, sustained floods are refused.
export type TokenBucket = { take(now: number): boolean };

export function tokenBucket(ratePerSecond: number, burst: number, now: number): TokenBucket {
  return peekableBucket(ratePerSecond, burst, now);
}

/**
 * Token buckets by key (e.g. client IP), forgetting the least recently used keys beyond
 * `maxKeys` so a spray of addresses cannot grow memory without bound.
 */
export function keyedTokenBuckets(ratePerSecond: number, burst: number, maxKeys = 10_000) {
  const buckets = new Map<string, TokenBucket & { peek(now: number): boolean }>();
  const bucketFor = (key: string, now: number) => {
    let bucket = buckets.get(key);
    if (bucket) buckets.delete(key);
    else bucket = peekableBucket(ratePerSecond, burst, now);
    buckets.set(key, bucket);
    if (buckets.size > maxKeys) buckets.delete(buckets.keys().next().value!);
    return bucket;
  };
  return {
    /** Whether a token is there, without taking it. */
    has: (key: string, now: number) => bucketFor(key, now).peek(now),
    take: (key: string, now: number) => bucketFor(key, now).take(now),
    get size() {
      return buckets.size;
    },
  };
}

function peekableBucket(ratePerSecond: number, burst: number, now: number) {
  let tokens = burst;
  let last = now;
  const refill = (at: number) => {
    tokens = Math.min(burst, tokens + ((at - last) / 1000) * ratePerSecond);
    last = at;
  };
  return {
    peek(at: number): boolean {
      refill(at);
      return tokens >= 1;
    },
    take(at: number): boolean {
      refill(at);
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}
