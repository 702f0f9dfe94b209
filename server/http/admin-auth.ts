// Admin authentication: one token from the environment (ADMIN_TOKEN), compared in constant time,
// with login attempts throttled per address and overall (a short token an operator picked must
// not be guessable); a signed, expiring session cookie (httpOnly, SameSite=Strict) that every
// server sharing the token accepts while the session version it names is current in Postgres
// (logout bumps it: persistence/admin-sessions.ts); state-changing requests must come from the
// page's own origin as JSON (a cross-site form can send neither).
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { SessionVersions } from "../persistence/admin-sessions";
import { keyedTokenBuckets } from "../realtime/rate-limit";

/** Login attempts per minute (burst the same): per address, and from everyone together. */
export const LOGINS_PER_ADDRESS_PER_MINUTE = 5;
export const LOGINS_PER_MINUTE = 30;

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

export function createAdminAuth(token: string, versions: SessionVersions, now: () => number = Date.now) {
  const key = sha256(`doodle-dance admin session\0${token}`);
  const sign = (payload: string) => createHmac("sha256", key).update(payload).digest("base64url");
  const perAddress = keyedTokenBuckets(LOGINS_PER_ADDRESS_PER_MINUTE / 60, LOGINS_PER_ADDRESS_PER_MINUTE);
  const everyone = keyedTokenBuckets(LOGINS_PER_MINUTE / 60, LOGINS_PER_MINUTE, 1);
  return {
    tokenMatches: (candidate: string) => tokenMatches(candidate, token),

    /** Takes a login attempt from `address`; false when it or everyone together has tried too often. */
    mayTryLogin(address: string): boolean {
      return perAddress.take(address, now()) && everyone.take("", now());
    },

    /** Set-Cookie value for a new session. */
    async sessionCookie(secure: boolean): Promise<string> {
      const payload = `${now() + SESSION_MS}.${await versions.current()}.${randomBytes(9).toString("base64url")}`;
      return `${ADMIN_COOKIE}=${payload}.${sign(payload)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_MS / 1000}${secure ? "; Secure" : ""}`;
    },

    async isSession(value: string | undefined): Promise<boolean> {
      if (!value) return false;
      const cut = value.lastIndexOf(".");
      if (cut < 0) return false;
      const payload = value.slice(0, cut), mac = Buffer.from(value.slice(cut + 1));
      const want = Buffer.from(sign(payload));
      if (mac.length !== want.length || !timingSafeEqual(mac, want)) return false;
      const [expires, version] = payload.split(".");
      return Number(expires) > now() && Number(version) === (await versions.current());
    },

    isAuthenticated(req: IncomingMessage): Promise<boolean> {
      return this.isSession(readCookie(req.headers.cookie, ADMIN_COOKIE));
    },

    /** Logout: every session ends, on every server. */
    revokeAll: () => versions.revokeAll(),
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
