// A token bucket per socket: short bursts pass, sustained floods are refused.
export type TokenBucket = { take(now: number): boolean };

export function tokenBucket(ratePerSecond: number, burst: number, now: number): TokenBucket {
  let tokens = burst;
  let last = now;
  return {
    take(at: number): boolean {
      tokens = Math.min(burst, tokens + ((at - last) / 1000) * ratePerSecond);
      last = at;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}
