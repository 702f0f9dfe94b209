// GET /metrics: what an operator graphs and alerts on, in Prometheus' text format (prom-client).
// Counts are this server's own: with several servers, sum them in the queries.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { clientSchemas } from "../protocol";
import type { GameIo } from "./realtime/clients";
import type { RoomRuntime } from "./realtime/room-runtime";
import type { LiveObserver, RequestObserver } from "./realtime/socket-server";
import type { Recognizer } from "./recognition/recognizer";
import type { ModelStore } from "./finetune/model-store";

/** What the gauges read when scraped. */
export type MetricsSources = {
  io: GameIo;
  /** The rooms this server runs. */
  rooms: ReadonlyMap<string, RoomRuntime>;
  recognizer: Recognizer;
  models: ModelStore;
};

export type Metrics = {
  /** Counts answered requests (the game server calls it for each). */
  observe: RequestObserver;
  /** Counts live ink batches, taken or refused (they have no ack, so `observe` never sees them). */
  observeLive: LiveObserver;
  /** The game server, once it runs: until then the gauges have nothing to report. */
  watch(sources: MetricsSources): void;
  text(): Promise<string>;
  contentType: string;
};

export function createMetrics(): Metrics {
  const register = new Registry();
  collectDefaultMetrics({ register });
  let sources: MetricsSources | null = null;

  new Gauge({
    name: "doodle_rooms",
    help: "Rooms this server runs",
    registers: [register],
    collect() {
      this.set(sources?.rooms.size ?? 0);
    },
  });
  new Gauge({
    name: "doodle_players",
    help: "Seated players in this server's rooms, connected or away (seat held for their return)",
    labelNames: ["state"],
    registers: [register],
    collect() {
      let connected = 0, away = 0;
      for (const room of sources?.rooms.values() ?? []) {
        for (const seat of room.snapshot.seats) {
          if (seat.connected) connected++;
          else away++;
        }
      }
      this.set({ state: "connected" }, connected);
      this.set({ state: "away" }, away);
    },
  });
  new Gauge({
    name: "doodle_sockets",
    help: "Open socket.io connections on this server",
    registers: [register],
    collect() {
      this.set(sources?.io.engine.clientsCount ?? 0);
    },
  });
  new Gauge({
    name: "doodle_recognizer_queue",
    help: "Recognition checks waiting for the AI guesser's worker thread",
    registers: [register],
    collect() {
      this.set(sources?.recognizer.queued?.() ?? 0);
    },
  });
  new Gauge({
    name: "doodle_finetune_jobs",
    help: "Fine-tune jobs by status (shared database: every server reports the same)",
    labelNames: ["status"],
    registers: [register],
    async collect() {
      this.reset();
      for (const { status, count } of (await sources?.models.jobCounts()) ?? []) this.set({ status }, count);
    },
  });

  const strokesIn = new Counter({ name: "doodle_strokes_received_total", help: "Strokes players sent (stroke:add), re-sends included", registers: [register] });
  const strokesOut = new Counter({
    name: "doodle_strokes_sent_total",
    help: "Strokes passed on to other players' sockets on this server (live views)",
    registers: [register],
  });
  const resends = new Counter({
    name: "doodle_stroke_resends_total",
    help: "Strokes sent again after a lost ack, answered as already stored (client retries)",
    registers: [register],
  });
  const refused = new Counter({
    name: "doodle_requests_refused_total",
    help: "Requests answered with an error, by code (storage_unavailable: the database did not take it)",
    labelNames: ["event", "code"],
    registers: [register],
  });
  const liveIn = new Counter({
    name: "doodle_live_batches_received_total",
    help: "Live ink batches (ink:live) players sent, by outcome: taken, rate_limited (a flood) or bad_request (malformed)",
    labelNames: ["outcome"],
    registers: [register],
  });
  const liveOutcomes = { taken: liveIn.labels("taken"), rate_limited: liveIn.labels("rate_limited"), bad_request: liveIn.labels("bad_request") };
  const ackLatency = new Histogram({
    name: "doodle_stroke_ack_seconds",
    help: "From a stroke's arrival to its ack (stored in PostgreSQL, or refused)",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [register],
  });

  return {
    observe({ event, reply, seconds, room }) {
      // Event names are the client's to choose: only ours become labels, or a hostile client could grow the series without bound.
      if (!reply.ok) refused.inc({ event: Object.hasOwn(clientSchemas, event) ? event : "unknown", code: reply.error.code });
      if (event !== "stroke:add") return;
      strokesIn.inc();
      ackLatency.observe(seconds);
      if (reply.ok && reply.duplicate) resends.inc();
      else if (reply.ok && room && sources) {
        // The sender is in the room too: everyone else got the stroke.
        strokesOut.inc(Math.max(0, (sources.io.sockets.adapter.rooms.get(room)?.size ?? 1) - 1));
      }
    },
    // Bound once: live ink is thousands of batches a second, and a labelled inc() hashes its labels each call.
    observeLive: (outcome) => liveOutcomes[outcome].inc(),
    watch(s) {
      sources = s;
    },
    text: () => register.metrics(),
    contentType: register.contentType,
  };
}
