// Puts the parts together: database, migrations, store, Next.js pages and socket.io on one port.
// Tests start it without Next (pages need a build) and with their own database URL.
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { resolveDatabase } from "./persistence/database";
import { applyMigrations } from "./persistence/migrate";
import { createPostgresStore } from "./persistence/postgres-store";
import { attachGameServer, type AddressLimits } from "./realtime/socket-server";
import { handleHttp } from "./http/routes";
import { log } from "./log";

export type StartOptions = {
  port: number;
  host?: string;
  /** Serve the Next.js pages (production build unless dev). Off in socket-level tests. */
  pages?: { dev: boolean } | false;
  /** Overrides DATABASE_URL / the embedded Postgres. */
  databaseUrl?: string;
  /** Load tests open many rooms from one address; players never need this. */
  addressLimits?: AddressLimits;
};

export type RunningServer = {
  http: HttpServer;
  port: number;
  game: ReturnType<typeof attachGameServer>;
  stop(): Promise<void>;
};

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const database = options.databaseUrl ? { url: options.databaseUrl, stop: async () => {} } : await resolveDatabase();
  await applyMigrations(database.url);
  const store = createPostgresStore(database.url);

  let renderPage: ((req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => Promise<void>) | null =
    null;
  if (options.pages) {
    const { default: next } = await import("next");
    const app = next({ dev: options.pages.dev, dir: process.cwd() });
    await app.prepare();
    const handle = app.getRequestHandler();
    renderPage = (req, res) => handle(req, res);
  }

  const http = createServer((req, res) => {
    handleHttp(req, res, { store, renderPage }).catch((err) => {
      log.error("request failed", err);
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end("Something went wrong on our side.");
    });
  });
  const game = attachGameServer(http, { store, addressLimits: options.addressLimits });

  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(options.port, options.host ?? "0.0.0.0", () => resolve());
  });
  const port = (http.address() as AddressInfo).port;

  return {
    http,
    port,
    game,
    async stop() {
      await game.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await store.close();
      await database.stop();
    },
  };
}
