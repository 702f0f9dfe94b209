// Every server learns of a publish or roll-back from PostgreSQL's LISTEN/NOTIFY (the publishing
// server NOTIFYs in the activation's transaction) and pushes it to its own sockets. Postgres is
// already shared by every server, so this needs no broker; a notification lost while the listening
// connection was down is made up for by re-reading the active version on reconnect.
import pg from "pg";
import { MODEL_ACTIVE_CHANNEL } from "./model-store";

export type ModelListener = { close(): Promise<void> };

export function listenForActivations(url: string, onActive: (version: string) => void, current: () => Promise<string>): ModelListener {
  let client: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;
  let last: string | null = null;
  const announce = (version: string) => {
    if (version === last) return;
    last = version;
    onActive(version);
  };

  const connect = async (delayMs: number) => {
    if (closed) return;
    const c = new pg.Client({ connectionString: url });
    c.on("error", () => {}); // 'end' below reconnects
    c.on("notification", (n) => { if (n.channel === MODEL_ACTIVE_CHANNEL && n.payload) announce(n.payload); });
    c.on("end", () => {
      if (closed) return;
      retry = setTimeout(() => void connect(Math.min(delayMs * 2, 10_000)), delayMs);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${MODEL_ACTIVE_CHANNEL}`);
      client = c;
      const version = await current();
      if (last === null) last = version; // the first read is what sockets already get on page load
      else announce(version);
    } catch {
      await c.end().catch(() => {});
    }
  };
  void connect(500);

  return {
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => {});
    },
  };
}
