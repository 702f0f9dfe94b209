// One real game server (no pages) on a fresh database per test file, with socket clients that
// are closed afterwards: the set-up integration tests share. Call at the top level of the file.
import { after, before } from "node:test";
import { startServer, type RunningServer, type StartOptions } from "../../server/start";
import { createTestDatabase } from "./test-database";
import { GameClient } from "./game-client";

export function useTestServer(options: Partial<Pick<StartOptions, "addressLimits" | "trustProxy" | "adminToken">> = {}): {
  url: () => string;
  databaseUrl: () => string;
  /** A client; `address` arrives as X-Forwarded-For, which a server with trustProxy takes as its address. */
  connect: (address?: string) => Promise<GameClient>;
} {
  let server: RunningServer | undefined;
  let db: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  let url = "";
  const clients: GameClient[] = [];
  before(async () => {
    db = await createTestDatabase();
    server = await startServer({ port: 0, host: "127.0.0.1", pages: false, databaseUrl: db.url, ...options });
    url = `http://127.0.0.1:${server.port}`;
  });
  after(async () => {
    for (const c of clients) c.close();
    await server?.stop();
    await db?.drop();
  });
  return {
    url: () => url,
    databaseUrl: () => db!.url,
    connect: async (address?: string) => {
      const client = new GameClient(url, undefined, address ? { "x-forwarded-for": address } : undefined);
      clients.push(client);
      await client.connected();
      return client;
    },
  };
}
