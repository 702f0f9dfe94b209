// Admin authentication: one token from the environment (ADMIN_TOKEN), compared in constant time;
// a signed, expiring session cookie (httpOnly, SameSite=Strict) that every server sharing the
// token accepts, so no session table is needed; state-changing requests must come from the
// page's own origin as JSON (a cross-site form can send neither).
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

export const ADMIN_COOKIE = "dd_admin";
export const SESSION_MS = 12 * 3600 * 1000;

const sha256 = (s: string) => createHash("sha256").update(s).digest();

/** Constant time whatever the lengths: both sides are hashed to 32 bytes first. */
export function tokenMatches(candidate: string, token: string): boolean {
  return timingSafeEqual(sha256(candidate), sha256(token));
}

export function generateAdminToken(): string {
  return randomBytes(24).toString("base64url");
}

export type AdminAuth = ReturnType<typeof createAdminAuth>;

export function createAdminAuth(token: string, now: () => number = Date.now) {
  const key = sha256(`doodle-dance admin session\0${token}`);
  const sign = (payload: string) => createHmac("sha256", key).update(payload).digest("base64url");
  return {
    tokenMatches: (candidate: string) => tokenMatches(candidate, token),

    /** Set-Cookie value for a new session. */
    sessionCookie(secure: boolean): string {
      const payload = `${now() + SESSION_MS}.${randomBytes(9).toString("base64url")}`;
      return `${ADMIN_COOKIE}=${payload}.${sign(payload)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_MS / 1000}${secure ? "; Secure" : ""}`;
    },

    isSession(value: string | undefined): boolean {
      if (!value) return false;
      const cut = value.lastIndexOf(".");
      if (cut < 0) return false;
      const payload = value.slice(0, cut), mac = Buffer.from(value.slice(cut + 1));
      const want = Buffer.from(sign(payload));
      if (mac.length !== want.length || !timingSafeEqual(mac, want)) return false;
      return Number(payload.split(".")[0]) > now();
    },

    isAuthenticated(req: IncomingMessage): boolean {
      return this.isSession(readCookie(req.headers.cookie, ADMIN_COOKIE));
    },
  };
}

export const CLEAR_ADMIN_COOKIE = `${ADMIN_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** A state-changing request from this site's own pages: Origin names this host, body is JSON. */
export function isSameOriginJson(req: IncomingMessage): boolean {
  const origin = req.headers.origin, host = req.headers.host;
  if (!origin || !host) return false;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return false;
  }
  return originHost === host && (req.headers["content-type"] ?? "").split(";")[0]!.trim() === "application/json";
}
