// The few HTTP routes the custom server answers itself; everything else is a Next.js page.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { GameStore } from "../persistence/types";
import { toQuickDrawRecord } from "../../game/quickdraw-format";
import { applySecurityHeaders } from "./security-headers";

type Deps = {
  store: GameStore;
  renderPage: ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | null;
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
  const exportMatch = ROUND_EXPORT.exec(path);
  if (exportMatch && req.method === "GET") {
    const drawings = await deps.store.loadRoundDrawings(exportMatch[1]!);
    if (drawings.length === 0) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("No drawings for that round.");
      return;
    }
    res.writeHead(200, {
      "content-type": "application/x-ndjson",
      "content-disposition": `attachment; filename="round-${exportMatch[1]}.ndjson"`,
    });
    res.end(
      drawings
        .map((d) => JSON.stringify(toQuickDrawRecord({ ...d, recognized: d.recognizedAtMs !== null, startedAt: d.roundStartedAt })))
        .join("\n") + "\n",
    );
    return;
  }
  if (deps.renderPage) return deps.renderPage(req, res);
  res.writeHead(404, { "content-type": "text/plain" });
  res.end("Not found.");
}
