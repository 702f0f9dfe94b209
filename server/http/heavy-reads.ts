// The routes that read whole rounds from Postgres (the ndjson export, a game's gallery): one
// request costs megabytes and seconds of the database, so they must not be a lever against live
// rooms. Per address they are rate-limited; equal requests share one load and then one cached
// copy of the bytes (a finished round only changes by a late re-sent stroke, so a short life is
// enough); and at most `concurrency` loads run at once, so they hold at most that many of the
// pool's connections and the strokes of live rooms never queue behind them.
import type { IncomingMessage, ServerResponse } from "node:http";
import { keyedTokenBuckets } from "../realtime/rate-limit";
import { clientAddress } from "../realtime/client-address";

export type HeavyReadLimits = {
  /** Requests per address per minute (burst the same). */
  perAddressPerMinute: number;
  /** Database loads at once; more wait their turn. */
  concurrency: number;
  /** Bytes of cached bodies kept, least recently used dropped first. */
  cacheBytes: number;
  cacheMs: number;
};

export const DEFAULT_HEAVY_READ_LIMITS: HeavyReadLimits = {
  perAddressPerMinute: 30,
  concurrency: 2,
  cacheBytes: 64 * 1024 * 1024,
  cacheMs: 60_000,
};

export type HeavyReads = ReturnType<typeof createHeavyReads>;

export function createHeavyReads(options: { limits?: Partial<HeavyReadLimits>; trustProxy: number; now?: () => number }) {
  const limits = { ...DEFAULT_HEAVY_READ_LIMITS, ...options.limits };
  const now = options.now ?? Date.now;
  const perAddress = keyedTokenBuckets(limits.perAddressPerMinute / 60, limits.perAddressPerMinute);
  const cache = new Map<string, { body: Buffer; at: number }>();
  let cachedBytes = 0;
  const loading = new Map<string, Promise<Buffer | null>>();
  let running = 0;
  const queue: (() => void)[] = [];

  async function inTurn<T>(load: () => Promise<T>): Promise<T> {
    if (running >= limits.concurrency) await new Promise<void>((resolve) => queue.push(resolve));
    running++;
    try {
      return await load();
    } finally {
      running--;
      queue.shift()?.();
    }
  }

  function remember(key: string, body: Buffer): void {
    if (body.length > limits.cacheBytes) return;
    const replaced = cache.get(key);
    if (replaced) cachedBytes -= replaced.body.length;
    cache.delete(key);
    cache.set(key, { body, at: now() });
    cachedBytes += body.length;
    for (const [oldKey, old] of cache) {
      if (cachedBytes <= limits.cacheBytes) break;
      cache.delete(oldKey);
      cachedBytes -= old.body.length;
    }
  }

  return {
    /** False (and a 429 in words) when this address has asked for too much just now. */
    admit(req: IncomingMessage, res: ServerResponse): boolean {
      const address = clientAddress(req.socket.remoteAddress ?? "", req.headers["x-forwarded-for"], options.trustProxy);
      if (perAddress.take(address, now())) return true;
      res.writeHead(429, { "content-type": "text/plain", "retry-after": "60", "cache-control": "no-store" });
      res.end("Too many downloads from your network just now; wait a minute and try again.");
      return false;
    },

    /** The bytes under `key`: cached, being loaded already, or loaded now in turn; null: there is nothing. */
    async get(key: string, load: () => Promise<Buffer | null>): Promise<Buffer | null> {
      const hit = cache.get(key);
      if (hit && now() - hit.at < limits.cacheMs) {
        // Most recently used last: Map order is the eviction order.
        cache.delete(key);
        cache.set(key, hit);
        return hit.body;
      }
      if (hit) {
        cache.delete(key);
        cachedBytes -= hit.body.length;
      }
      let pending = loading.get(key);
      if (!pending) {
        pending = inTurn(load).finally(() => loading.delete(key));
        loading.set(key, pending);
        void pending.then((body) => body && remember(key, body)).catch(() => {});
      }
      return pending;
    },
  };
}
