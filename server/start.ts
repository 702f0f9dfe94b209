// Puts the parts together: database, migrations, store, Next.js pages and socket.io on one port.
// Tests start it without Next (pages need a build) and with their own database URL.
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { networkInterfaces } from "node:os";
import { resolveDatabase } from "./persistence/database";
import { applyMigrations } from "./persistence/migrate";
import { createPostgresStore } from "./persistence/postgres-store";
import { attachGameServer, type AddressLimits } from "./realtime/socket-server";
import { handleHttp } from "./http/routes";
import { createAdapter } from "@socket.io/redis-adapter";
import { connectRedisCluster, forgivingPublisher } from "./cluster/redis-cluster";
import { singleServerCluster } from "./cluster/single-server";
import { createSnapshotStore } from "./persistence/room-snapshots";
import { log, throttledWarning } from "./log";
import { createMetrics } from "./metrics";
import { lanAddresses, parsePublicUrl } from "./http/invite";
import { createModelStore } from "./finetune/model-store";
import { listenForActivations } from "./finetune/model-notifications";
import { startBoss } from "./finetune/queue";
import { createAdminAuth } from "./http/admin-auth";
import { createSessionVersions } from "./persistence/admin-sessions";
import { activeVersionView, fileOf, versionView } from "./http/model-files";
import { refineStepsSetting, workerDanceCoder } from "./dance-codes/dance-coder";
import { parseTrustProxy } from "./realtime/client-address";
import { MAX_PLAYERS_PER_ROOM } from "../protocol";
import { createHeavyReads, type HeavyReadLimits } from "./http/heavy-reads";

export type StartOptions = {
  port: number;
  host?: string;
  /** Serve the Next.js pages (production build unless dev). Off in socket-level tests. */
  pages?: { dev: boolean } | false;
  /** Overrides DATABASE_URL / the embedded Postgres. */
  databaseUrl?: string;
  /** Load tests open many rooms from one address; players never need this. */
  addressLimits?: Partial<AddressLimits>;
  /** Share rooms with other servers through this Redis (default REDIS_URL); without one, run alone. */
  redisUrl?: string;
  /** Overrides of the export and gallery routes' limits (http/heavy-reads.ts). */
  heavyReadLimits?: Partial<HeavyReadLimits>;
  /** Proxies in front whose X-Forwarded-For to believe (default TRUST_PROXY; client-address.ts). */
  trustProxy?: number;
  /** The admin page's token (default ADMIN_TOKEN); without one every admin route refuses. */
  adminToken?: string;
  /** Where players reach this game, for invite links (default PUBLIC_URL); without one, the page's own address. */
  publicUrl?: string;
};

export type RunningServer = {
  http: HttpServer;
  port: number;
  game: ReturnType<typeof attachGameServer>;
  stop(): Promise<void>;
  /** The database this server uses (the embedded one unless DATABASE_URL / databaseUrl). */
  databaseUrl: string;
};

function seatsPerAddressFromEnv(): Partial<AddressLimits> {
  const value = process.env.SEATS_PER_ADDRESS;
  if (value === undefined || value === "") return {};
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_PLAYERS_PER_ROOM) {
    throw new Error(`SEATS_PER_ADDRESS must be a whole number from 1 to ${MAX_PLAYERS_PER_ROOM}, not "${value}"`);
  }
  return { seatsPerRoom: n };
}

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const publicUrl = parsePublicUrl(options.publicUrl ?? process.env.PUBLIC_URL);
  // Next.js takes about a second to get ready and needs no database: it does so while PostgreSQL starts.
  const pagesReady = options.pages ? preparePages(options.pages.dev) : Promise.resolve(null);
  pagesReady.catch(() => {}); // awaited below; a database failure must not leave it unhandled meanwhile
  const database = options.databaseUrl ? { url: options.databaseUrl, stop: async () => {} } : await resolveDatabase();
  await applyMigrations(database.url);
  const store = createPostgresStore(database.url);
  const models = createModelStore(database.url);
  const adminToken = options.adminToken ?? process.env.ADMIN_TOKEN;
  const trustProxy = options.trustProxy ?? parseTrustProxy(process.env.TRUST_PROXY);
  const heavyReads = createHeavyReads({ trustProxy, limits: options.heavyReadLimits });
  // pg-boss starts on the first fine-tune trigger: servers nobody administers never load it.
  let boss: ReturnType<typeof startBoss> | null = null;
  const sessionVersions = createSessionVersions(database.url);
  const admin = {
    auth: adminToken ? createAdminAuth(adminToken, sessionVersions) : null,
    models,
    boss: () => (boss ??= startBoss(database.url, "sender")),
    trustProxy,
  };

  const renderPage = await pagesReady;

  // Other devices can reach this server only when it listens on every interface (the default).
  const listensEverywhere = ["0.0.0.0", "::"].includes(options.host ?? "0.0.0.0");
  const invite = (fromLoopback: boolean) => ({
    publicUrl,
    lan: fromLoopback && !publicUrl && listensEverywhere ? lanAddresses(networkInterfaces(), port) : [],
  });
  const http = createServer((req, res) => {
    handleHttp(req, res, { store, renderPage, models, admin, heavyReads, lookUpRoom: (code, address) => game.lookUpRoom(code, address), metrics, invite }).catch((err) => {
      log.error("request failed", err);
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end("Something went wrong on our side.");
    });
  });
  const redisUrl = options.redisUrl ?? process.env.REDIS_URL;
  const redisCluster = redisUrl ? await connectRedisCluster(redisUrl) : undefined;
  // Alone, the server keeps its rooms' snapshots in PostgreSQL, so a restart keeps the live rooms.
  const cluster = redisCluster ?? singleServerCluster(createSnapshotStore(database.url));
  const danceCoder = workerDanceCoder(
    { activeVersion: async () => (await activeVersionView(models)).version, file: (version, path) => fileOf(models, version, path) },
    { steps: refineStepsSetting(process.env.DANCE_REFINE_STEPS) },
  );
  const metrics = createMetrics();
  const addressLimits = { ...seatsPerAddressFromEnv(), ...options.addressLimits };
  const game = attachGameServer(http, { store, addressLimits, cluster, danceCoder, trustProxy, observe: metrics.observe, observeLive: metrics.observeLive });
  metrics.watch({ io: game.io, rooms: game.rooms, recognizer: game.recognizer, models });
  // Players' first recognition claims should not wait for the AI guesser's worker to start.
  if (options.pages) void game.recognizer.warm().catch(() => {});
  // The adapter needs a connection of its own for subscribing (Redis allows nothing else on it).
  const adapterSubscriber = redisCluster?.redis.duplicate();
  if (redisCluster && adapterSubscriber) {
    adapterSubscriber.on("error", () => {}); // reported by the cluster's own clients, which see the same outage
    await adapterSubscriber.connect();
    game.io.adapter(createAdapter(forgivingPublisher(redisCluster.redis, throttledWarning("broadcast to other servers lost")), adapterSubscriber));
  }

  // Publishes and roll-backs, from whichever server, reach this server's own sockets.
  const activations = listenForActivations(
    database.url,
    (version) => game.io.local.emit("model:active", versionView(version)),
    async () => (await activeVersionView(models)).version,
  );

  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(options.port, options.host ?? "0.0.0.0", () => resolve());
  });
  const port = (http.address() as AddressInfo).port;

  return {
    http,
    port,
    game,
    databaseUrl: database.url,
    async stop() {
      await activations.close();
      await game.close();
      await cluster.close();
      // quit, not disconnect: the adapter's own unsubscribes are still queued and must not fail unhandled.
      await adapterSubscriber?.quit().catch(() => adapterSubscriber.disconnect());
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await store.close();
      await (await boss?.catch(() => null))?.stop({ graceful: false });
      await models.close();
      await sessionVersions.close();
      await database.stop();
    },
  };
}

type RenderPage = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

async function preparePages(dev: boolean): Promise<RenderPage> {
  const { default: next } = await import("next");
  const app = next({ dev, dir: process.cwd() });
  await app.prepare();
  const handle = app.getRequestHandler();
  return (req, res) => handle(req, res);
}
