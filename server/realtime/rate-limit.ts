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
  const buckets = new Map<string, ReturnType<typeof peekableBucket>>();
  const bucketFor = (key: string, now: number) => {
    let bucket = buckets.get(key);
    if (bucket) buckets.delete(key);
    else bucket = peekableBucket(ratePerSecond, burst, now);
    buckets.set(key, bucket);
    if (buckets.size > maxKeys) buckets.delete(buckets.keys().next().value!);
    return bucket;
  };
  return {
    /** Whether `amount` tokens are there, without taking them. */
    has: (key: string, now: number, amount = 1) => bucketFor(key, now).peek(now, amount),
    take: (key: string, now: number, amount = 1) => bucketFor(key, now).take(now, amount),
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
    peek(at: number, amount = 1): boolean {
      refill(at);
      return tokens >= amount;
    },
    take(at: number, amount = 1): boolean {
      refill(at);
      if (tokens < amount) return false;
      tokens -= amount;
      return true;
    },
  };
}
