// A real socket.io client for tests and benchmarks, with promise-style requests and
// wait-for-condition helpers instead of sleeps.
import { io, type Socket } from "socket.io-client";
import {
  PROTOCOL_VERSION,
  decodeSnapshot,
  type ClientToServerEvents,
  type DrawingView,
  type LiveInk,
  type ProtocolError,
  type RoomView,
  type ServerToClientEvents,
  type Stroke,
} from "../../protocol";

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export class GameClient {
  readonly socket: TestSocket;
  state: RoomView | null = null;
  snapshot: DrawingView[] = [];
  /** drawings:snapshot messages received, and their bytes. */
  snapshots = { count: 0, bytes: 0 };
  readonly received: { roundId: string; playerId: string; stroke: Stroke }[] = [];
  /** ink:live batches from the others, in arrival order (a page skips its own, as this does). */
  readonly live: LiveInk[] = [];
  /** ink:live messages received. */
  liveMessages = 0;
  playerId: string | null = null;
  readonly removed: { roundId: string; playerId: string; strokeIds: string[] }[] = [];
  readonly errors: (ProtocolError & { event?: string })[] = [];
  private waiters = new Set<() => void>();

  constructor(url: string, auth: object = { protocolVersion: PROTOCOL_VERSION }, extraHeaders?: Record<string, string>) {
    this.socket = io(url, { transports: ["websocket"], auth, reconnection: false, forceNew: true, extraHeaders });
    this.socket.on("room:state", (view) => this.update(() => (this.state = view)));
    this.socket.on("drawings:snapshot", (d) =>
      this.update(() => {
        this.snapshot = decodeSnapshot(d);
        this.snapshots.count++;
        this.snapshots.bytes += d.byteLength;
      }),
    );
    this.socket.on("stroke:added", (e) => this.update(() => this.received.push(e)));
    this.socket.on("ink:live", (batches) =>
      this.update(() => {
        this.liveMessages++;
        this.live.push(...batches.filter((e) => e[0] !== this.playerId));
      }),
    );
    this.socket.on("stroke:removed", (e) => this.update(() => this.removed.push(e)));
    this.socket.on("error", (e) => this.update(() => this.errors.push(e)));
  }

  private update(change: () => void): void {
    change();
    for (const wake of [...this.waiters]) wake();
  }

  /** Resolves once `check` holds (checked after every message), or fails after `timeoutMs`. */
  waitFor<T>(what: string, check: () => T | undefined | null | false, timeoutMs = 30_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const attempt = () => {
        const value = check();
        if (value) {
          this.waiters.delete(attempt);
          clearTimeout(timer);
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(attempt);
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      this.waiters.add(attempt);
      attempt();
    });
  }

  connected(): Promise<void> {
    if (this.socket.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.socket.once("connect", () => resolve());
      this.socket.once("connect_error", reject);
    });
  }

  /** Emits with an ack; `any` payloads on purpose so tests can send malformed messages. */
  async request<R = any>(event: string, payload?: unknown, timeoutMs = 10_000): Promise<R> {
    const reply = await (this.socket.timeout(timeoutMs) as any).emitWithAck(event, payload);
    // Whose seat this is, as a page knows it: its own live ink comes back and is skipped.
    if ((event === "room:create" || event === "room:join" || event === "room:watch") && reply?.ok) this.playerId = reply.playerId;
    return reply;
  }

  close(): void {
    this.socket.disconnect();
  }
}

/** A seeded stroke of `n` points inside the 0..255 box. */
export function makeStroke(id: string, n: number, random: () => number, t0 = 0): Stroke {
  const points: [number, number, number][] = [];
  for (let i = 0; i < n; i++) {
    points.push([Math.floor(random() * 256), Math.floor(random() * 256), t0 + i * 16]);
  }
  return { id, points };
}

/**
 * Connects a host and a guest to `url`, seats both in a new room and starts a one-round game;
 * resolves once the round is on, with both clients and the round.
 */
export async function twoPlayerRound(url: string, roundSeconds: number) {
  const [host, guest] = [new GameClient(url), new GameClient(url)];
  await Promise.all([host.connected(), guest.connected()]);
  const created = await host.request("room:create", { nickname: "Host" });
  if (!created.ok) throw new Error(`room:create refused: ${created.error.message}`);
  for (const [client, event, payload] of [
    [guest, "room:join", { code: created.code, nickname: "Guest" }],
    [host, "room:settings", { rounds: 1, roundSeconds }],
    [host, "game:start", {}],
  ] as const) {
    const reply = await client.request(event, payload);
    if (!reply.ok) throw new Error(`${event} refused: ${reply.error.message}`);
  }
  const round = await host.waitFor("round", () => host.state?.phase === "drawing" && host.state.rounds[0]);
  return { host, guest, round };
}
