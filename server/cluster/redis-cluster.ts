// The Cluster over Redis: owner leases (a key with a short expiry that the owner keeps renewing),
// room snapshots, and request forwarding over pub/sub. ioredis rather than node-redis because it
// re-subscribes after a reconnect, which a Redis restart needs.
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import type { Cluster, ForwardedReply, ForwardedRequest, RoomSnapshot } from "./cluster";
import { log, throttledWarning } from "../log";

/**
 * How long a room stays owned by a server that stopped renewing (crashed, or cut off from Redis).
 * Long enough that an overloaded owner (event-loop stalls of several seconds were measured under
 * the 2,000-player benchmark) keeps its rooms; a crash is noticed sooner anyway, when a forwarded
 * request finds nobody listening.
 */
export const LEASE_MS = 15_000;
const RENEW_EVERY_MS = 3000;
/** A forwarded request the owner does not answer in this time fails with a retryable error. */
const FORWARD_TIMEOUT_MS = 8000;
/** Snapshots outlive a room's last change by a day, enough for a seat to come back; then Redis drops them. */
const SNAPSHOT_TTL_S = 24 * 3600;

const ownerKey = (code: string) => `dd:room:${code}:owner`;
const snapshotKey = (code: string) => `dd:room:${code}:snapshot`;
const inbox = (serverId: string) => `dd:server:${serverId}`;

// Renew only a lease that is still ours; take one that is free or held by a server known to be gone.
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const CLAIM = `local holder = redis.call('get', KEYS[1])
if holder == false or holder == ARGV[1] or holder == ARGV[3] then
  redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
return 0`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('del', KEYS[1], KEYS[2]) end return 1`;

type Envelope =
  | { kind: "request"; id: string; from: string; request: ForwardedRequest }
  | { kind: "reply"; id: string; reply: ForwardedReply | { failed: string } };

/**
 * The socket.io adapter publishes without handling a failed publish, and ioredis fails commands
 * while Redis is away: an unhandled rejection would take the whole server down. This view of the
 * client drops such broadcasts to other servers instead (local sockets got theirs already).
 */
export function forgivingPublisher(redis: Redis, onError: (err: unknown) => void): Redis {
  return new Proxy(redis, {
    get(target, property) {
      if (property === "publish") {
        return (...args: Parameters<Redis["publish"]>) => target.publish(...args).catch((err: unknown) => (onError(err), 0));
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

export async function connectRedisCluster(url: string): Promise<Cluster & { redis: Redis; subscriber: Redis }> {
  const serverId = randomUUID();
  // Commands wait for a reconnect rather than failing at once, but not forever: a game request
  // must get an answer, so each gives up after a few seconds.
  const redis = new Redis(url, { maxRetriesPerRequest: 2, commandTimeout: 3000, lazyConnect: true });
  const subscriber = redis.duplicate();
  const warnRedis = throttledWarning("Redis unavailable");
  redis.on("error", warnRedis);
  subscriber.on("error", warnRedis);
  await Promise.all([redis.connect(), subscriber.connect()]);

  const owned = new Set<string>();
  const pending = new Map<string, { resolve: (r: ForwardedReply) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  const saving = new Map<string, Promise<unknown>>();
  let serveRequest: ((r: ForwardedRequest) => Promise<ForwardedReply>) | null = null;
  let ownership = { lost: (_code: string) => {}, regained: (_code: string) => {} };

  await subscriber.subscribe(inbox(serverId));
  subscriber.on("message", (_channel: string, message: string) => {
    const envelope = JSON.parse(message) as Envelope;
    if (envelope.kind === "reply") {
      const waiting = pending.get(envelope.id);
      if (!waiting) return;
      pending.delete(envelope.id);
      clearTimeout(waiting.timer);
      if ("failed" in envelope.reply) waiting.reject(new Error(envelope.reply.failed));
      else waiting.resolve(envelope.reply);
      return;
    }
    const { id, from, request } = envelope;
    const answer = (reply: Extract<Envelope, { kind: "reply" }>["reply"]) =>
      redis.publish(inbox(from), JSON.stringify({ kind: "reply", id, reply } satisfies Envelope)).catch(warnRedis);
    if (!serveRequest) return void answer({ failed: "not serving" });
    serveRequest(request).then(answer, (err: unknown) => answer({ failed: String(err) }));
  });

  const renewal = setInterval(() => {
    for (const code of owned) {
      redis
        .eval(RENEW, 1, ownerKey(code), serverId, LEASE_MS)
        .then(async (renewed) => {
          if (renewed === 1 || !owned.has(code)) return;
          // The lease lapsed (Redis was away longer than a lease): take it back unless another server has.
          const again = await redis.eval(CLAIM, 1, ownerKey(code), serverId, LEASE_MS, "");
          if (again === 1) ownership.regained(code);
          else if (owned.delete(code)) ownership.lost(code);
        })
        .catch(warnRedis);
    }
  }, RENEW_EVERY_MS);
  renewal.unref();

  return {
    serverId,
    redis,
    subscriber,
    async claim(code, replacing = "") {
      const won = (await redis.eval(CLAIM, 1, ownerKey(code), serverId, LEASE_MS, replacing)) === 1;
      if (won) owned.add(code);
      return won;
    },
    async ownerOf(code) {
      return redis.get(ownerKey(code));
    },
    async release(code) {
      owned.delete(code);
      await (saving.get(code) ?? Promise.resolve());
      await redis.eval(RELEASE, 2, ownerKey(code), snapshotKey(code), serverId).catch(warnRedis);
    },
    save(code, snapshot: RoomSnapshot) {
      const previous = saving.get(code) ?? Promise.resolve();
      const next = previous
        .then(() => redis.set(snapshotKey(code), JSON.stringify(snapshot), "EX", SNAPSHOT_TTL_S))
        .catch((err: unknown) => warnRedis(err));
      saving.set(code, next);
      void next.then(() => {
        if (saving.get(code) === next) saving.delete(code);
      });
    },
    async load(code) {
      const text = await redis.get(snapshotKey(code));
      return text ? (JSON.parse(text) as RoomSnapshot) : null;
    },
    async forward(to, request) {
      const id = randomUUID();
      const reply = new Promise<ForwardedReply>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`server ${to} did not answer in ${FORWARD_TIMEOUT_MS} ms`));
        }, FORWARD_TIMEOUT_MS);
        pending.set(id, { resolve, reject, timer });
      });
      const forget = () => {
        clearTimeout(pending.get(id)?.timer);
        pending.delete(id);
      };
      let receivers: number;
      try {
        receivers = await redis.publish(inbox(to), JSON.stringify({ kind: "request", id, from: serverId, request } satisfies Envelope));
      } catch (err) {
        forget();
        throw err;
      }
      if (receivers === 0) {
        // Nobody subscribes to that server's inbox: it is gone.
        forget();
        return null;
      }
      return reply;
    },
    serve(handler) {
      serveRequest = handler;
    },
    watchOwnership(handlers) {
      ownership = handlers;
    },
    async close() {
      clearInterval(renewal);
      await Promise.allSettled(saving.values());
      // Hand the rooms back at once so another server can take them without waiting out the lease.
      await Promise.allSettled([...owned].map((code) => redis.eval(RENEW, 1, ownerKey(code), serverId, 1)));
      owned.clear();
      for (const { reject, timer } of pending.values()) {
        clearTimeout(timer);
        reject(new Error("server shutting down"));
      }
      // quit lets queued commands (the adapter's last publishes) finish first.
      await Promise.allSettled([subscriber.quit(), redis.quit()]);
      subscriber.disconnect();
      redis.disconnect();
      log.info(`cluster member ${serverId} left`);
    },
  };
}
