// The admin page's JSON API (/api/admin/...): log in, see doodles and versions, start, watch and
// cancel a fine-tune, publish or roll back a version. Everything but login refuses without a
// session; every POST must be same-origin JSON (admin-auth.ts).
import type { IncomingMessage, ServerResponse } from "node:http";
import type PgBoss from "pg-boss";
import type { ModelStore } from "../finetune/model-store";
import { DEFAULT_FINETUNE, FINETUNE_LIMITS, parseFinetuneRequest } from "../finetune/params";
import { triggerFinetune } from "../finetune/queue";
import { WORDS } from "../../game/words";
import { CLEAR_ADMIN_COOKIE, isSameOriginJson, type AdminAuth } from "./admin-auth";
import { clientAddress } from "../realtime/client-address";
import { activeVersionView, shippedVersion, VERSION_NAME } from "./model-files";

export type AdminDeps = {
  auth: AdminAuth | null;
  models: ModelStore;
  boss: () => Promise<PgBoss>;
  /** Proxies whose X-Forwarded-For names the client (login attempts are counted per address). */
  trustProxy: number;
};

const MAX_BODY = 16 * 1024;
const JOB = /^\/api\/admin\/jobs\/([0-9a-f-]{36})(\/sample\.png|\/cancel)?$/;
const VERSION = /^\/api\/admin\/versions\/([a-z]+-[0-9a-f]{10})\/(publish|report\/(?:current|candidate)\.png)$/;

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", ...headers });
  res.end(JSON.stringify(body));
}

function png(res: ServerResponse, body: Buffer | null): void {
  if (!body) return json(res, 404, { error: "No image yet." });
  res.writeHead(200, { "content-type": "image/png", "cache-control": "no-store", "content-length": body.length });
  res.end(body);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error("body too large");
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

/** The version a fine-tune would start from, and the time its data ends (new doodles are after it). */
async function activeWithCutoff(models: ModelStore): Promise<{ version: string; dataUntil: string | null }> {
  const { version } = await activeVersionView(models);
  const row = version.startsWith("ft-") ? await models.version(version) : null;
  return { version, dataUntil: row?.metadata.dataUntil ?? null };
}

/** Answers /api/admin/* (true) or leaves the request alone (false). */
export async function handleAdmin(req: IncomingMessage, res: ServerResponse, path: string, deps: AdminDeps): Promise<boolean> {
  if (!path.startsWith("/api/admin/")) return false;
  const { auth, models } = deps;
  if (!auth) {
    json(res, 503, { error: "The admin page is off: start the server with ADMIN_TOKEN set." });
    return true;
  }
  const post = req.method === "POST";
  if (post && !isSameOriginJson(req)) {
    json(res, 403, { error: "Refused: admin actions must come from this site's admin page." });
    return true;
  }
  if (path === "/api/admin/login" && post) {
    const address = clientAddress(req.socket.remoteAddress ?? "", req.headers["x-forwarded-for"], deps.trustProxy);
    if (!auth.mayTryLogin(address)) {
      json(res, 429, { error: "Too many login attempts just now; wait a minute and try again." }, { "retry-after": "60" });
      return true;
    }
    const body = (await readJson(req).catch(() => null)) as { token?: unknown } | null;
    if (typeof body?.token !== "string" || !auth.tokenMatches(body.token)) {
      json(res, 401, { error: "Wrong admin token." });
      return true;
    }
    const secure = (req.headers["x-forwarded-proto"] ?? "") === "https";
    json(res, 200, { ok: true }, { "set-cookie": await auth.sessionCookie(secure) });
    return true;
  }
  if (!(await auth.isAuthenticated(req))) {
    json(res, 401, { error: "Log in as admin first." });
    return true;
  }
  if (path === "/api/admin/logout" && post) {
    await auth.revokeAll();
    json(res, 200, { ok: true }, { "set-cookie": CLEAR_ADMIN_COOKIE });
    return true;
  }
  if (path === "/api/admin/overview" && req.method === "GET") {
    const active = await activeWithCutoff(models);
    const [counts, versions, jobs, shipped, activations] = await Promise.all([
      models.doodleCounts(new Date(active.dataUntil ?? 0)), models.versions(), models.jobs(10), shippedVersion(), models.activations(20),
    ]);
    json(res, 200, {
      active: active.version, shipped: shipped.version, doodlesSinceActive: counts, versions, jobs, activations,
      defaults: DEFAULT_FINETUNE, limits: FINETUNE_LIMITS, categories: WORDS.map((w) => w.word),
    });
    return true;
  }
  if (path === "/api/admin/finetune" && post) {
    const body = await readJson(req).catch(() => undefined);
    if (body === undefined) {
      json(res, 400, { error: "The request body must be JSON." });
      return true;
    }
    const parsed = parseFinetuneRequest(body);
    if (!parsed.ok) {
      json(res, 400, { error: parsed.error });
      return true;
    }
    const result = await triggerFinetune(models, await deps.boss(), parsed.params, await activeWithCutoff(models));
    if (result.ok) json(res, 202, { jobId: result.jobId });
    else json(res, result.status, { error: result.error, openJobId: result.openJobId });
    return true;
  }
  const job = JOB.exec(path);
  if (job) {
    const [, id, tail] = job;
    if (tail === "/cancel" && post) {
      const row = await models.requestCancel(id!);
      if (row) json(res, 200, { job: row });
      else json(res, 404, { error: "No such job." });
    } else if (tail === "/sample.png" && req.method === "GET") {
      png(res, await models.samplePng(id!));
    } else if (!tail && req.method === "GET") {
      const after = Number(new URL(req.url ?? "/", "http://x").searchParams.get("after") ?? 0) || 0;
      const row = await models.job(id!);
      if (row) json(res, 200, { job: row, progress: await models.progress(id!, after) });
      else json(res, 404, { error: "No such job." });
    } else {
      json(res, 405, { error: "Method not allowed." });
    }
    return true;
  }
  const version = VERSION.exec(path);
  if (version && VERSION_NAME.test(version[1]!)) {
    const [, name, what] = version;
    if (what === "publish" && post) {
      const shipped = await shippedVersion();
      const row = name === shipped.version ? null : await models.version(name!);
      if (name !== shipped.version && !row) json(res, 404, { error: `No version ${name}.` });
      else if (row?.status === "rejected") json(res, 409, { error: `${name} was rejected by its evaluation: ${row.figures.reasons.join("; ")}` });
      else {
        await models.activate(name!);
        json(res, 200, { active: name });
      }
    } else if (what !== "publish" && req.method === "GET") {
      png(res, await models.versionFile(name!, what!));
    } else {
      json(res, 405, { error: "Method not allowed." });
    }
    return true;
  }
  json(res, 404, { error: "No such admin route." });
  return true;
}

/** /admin pages need a session; without one the browser goes to the login page. */
export async function adminPageRedirect(path: string, auth: AdminAuth | null, req: IncomingMessage): Promise<string | null> {
  if (path !== "/admin" && !path.startsWith("/admin/")) return null;
  if (path === "/admin/login" || path.startsWith("/admin/login/")) return null;
  return (await auth?.isAuthenticated(req)) ? null : "/admin/login";
}
