// The few HTTP routes the custom server answers itself; everything else is a Next.js page.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { GameStore } from "../persistence/types";
import { toQuickDrawRecord } from "../../game/quickdraw-format";
import { applySecurityHeaders } from "./security-headers";
import { handleModelFiles } from "./model-files";
import { adminPageRedirect, handleAdmin, type AdminDeps } from "./admin-routes";
import type { ModelStore } from "../finetune/model-store";
import { handleGuesserFiles } from "./guesser-files";
import { handleGameGallery } from "./game-gallery";
import type { HeavyReads } from "./heavy-reads";
import { handleRoomLookup, type RoomLookup } from "./room-lookup";
import { handleInvite, type InviteView } from "./invite";

type Deps = {
  store: GameStore;
  renderPage: ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | null;
  /** Fine-tuned model versions (issue 5); absent: only the shipped weights are served. */
  models?: ModelStore;
  admin?: AdminDeps;
  /** Rate limit, cache and turns for the routes that read whole rounds. */
  heavyReads: HeavyReads;
  /** Whether a room is open (the game server's rooms); absent: no room look-ups. */
  lookUpRoom?: RoomLookup;
  /** GET /metrics (server/metrics.ts); absent: none. */
  metrics?: { text(): Promise<string>; contentType: string };
  /** GET /api/invite: the invite link's start (server/http/invite.ts). */
  invite?: (fromLoopback: boolean) => InviteView;
};

const ROUND_EXPORT = /^\/api\/rounds\/([0-9a-f-]{36})\/drawings\.ndjson$/;

export async function handleHttp(req: IncomingMessage, res: ServerResponse, deps: Deps): Promise<void> {
  applySecurityHeaders(req, res);
  const path = (req.url ?? "/").split("?")[0]!;
  if (path === "/healthz") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ ok: true }));
    return;
  }
  if (path === "/metrics" && deps.metrics) {
    const text = await deps.metrics.text();
    res.writeHead(200, { "content-type": deps.metrics.contentType });
    res.end(text);
    return;
  }
  const exportMatch = ROUND_EXPORT.exec(path);
  if (exportMatch && req.method === "GET") {
    if (!deps.heavyReads.admit(req, res)) return;
    const roundId = exportMatch[1]!;
    const body = await deps.heavyReads.get(`export:${roundId}`, async () => {
      const drawings = await deps.store.loadRoundDrawings(roundId);
      if (drawings.length === 0) return null;
      const lines = drawings.map(
        (d) => JSON.stringify(toQuickDrawRecord({ ...d, recognized: d.recognizedAtMs !== null, startedAt: d.roundStartedAt })) + "\n",
      );
      return Buffer.from(lines.join(""));
    });
    if (!body) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("No drawings for that round.");
      return;
    }
    res.writeHead(200, {
      "content-type": "application/x-ndjson",
      "content-length": body.length,
      "cache-control": "private, max-age=60",
      "content-disposition": `attachment; filename="round-${roundId}.ndjson"`,
    });
    res.end(body);
    return;
  }
  if (path === "/api/invite" && deps.invite) return handleInvite(req, res, deps.invite);
  if (deps.lookUpRoom && path.startsWith("/api/rooms/") && (await handleRoomLookup(req, res, path, deps.lookUpRoom))) return;
  if (path.startsWith("/api/games/") && (await handleGameGallery(req, res, path, deps.store, deps.heavyReads))) return;
  if (path.startsWith("/api/models/") && (await handleModelFiles(req, res, path, deps.models))) return;
  if (deps.admin && (await handleAdmin(req, res, path, deps.admin))) return;
  const login = await adminPageRedirect(path, deps.admin?.auth ?? null, req);
  if (login) {
    res.writeHead(303, { location: login, "cache-control": "no-store" });
    res.end();
    return;
  }
  if (path.startsWith("/api/") && (await handleGuesserFiles(req, res, path))) return;
  if (deps.renderPage) return deps.renderPage(req, res);
  res.writeHead(404, { "content-type": "text/plain" });
  res.end("Not found.");
}
