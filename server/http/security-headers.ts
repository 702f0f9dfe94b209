// Security headers on every HTTP response the custom server sends: Next.js pages and assets as
// well as our own routes (health check, exports).
import type { IncomingMessage, ServerResponse } from "node:http";

/** A Host header as browsers send it (name or IP, optional port); anything else gets no socket origin. */
const PLAIN_HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The Content-Security-Policy for a page served at `host`.
 *
 * - script-src has 'unsafe-inline' because the app router sends its hydration data in inline
 *   <script> tags, and our pages are prerendered: a nonce only reaches pages rendered per request
 *   (Next reads it from the request's CSP header while rendering), so a nonce here would block
 *   every static page. 'wasm-unsafe-eval' lets tfjs compile its WASM backend (and nothing else);
 *   dev mode adds 'unsafe-eval', which React uses there to rebuild server stacks.
 * - worker-src blob: for tfjs-backend-wasm, which starts its threads from a blob: URL.
 * - connect-src names the page's own host for ws:/wss: rather than any host, so an injected
 *   script could not open a socket elsewhere; fetches (WASM binaries, weights) stay 'self'.
 * - WebGL needs nothing: shaders are not governed by CSP.
 */
export function contentSecurityPolicy(host: string | undefined, dev: boolean): string {
  const sockets = host && PLAIN_HOST.test(host) ? ` ws://${host} wss://${host}` : "";
  const directives: [string, string][] = [
    ["default-src", "'self'"],
    ["script-src", `'self' 'unsafe-inline' 'wasm-unsafe-eval'${dev ? " 'unsafe-eval'" : ""}`],
    ["style-src", "'self' 'unsafe-inline'"],
    ["img-src", "'self' data: blob:"],
    ["font-src", "'self'"],
    ["connect-src", `'self'${sockets}`],
    ["worker-src", "'self' blob:"],
    ["object-src", "'none'"],
    ["base-uri", "'self'"],
    ["form-action", "'self'"],
    ["frame-ancestors", "'none'"],
  ];
  return directives.map(([name, value]) => `${name} ${value}`).join("; ");
}

export function securityHeaders(host: string | undefined, dev: boolean): Record<string, string> {
  return {
    "Content-Security-Policy": contentSecurityPolicy(host, dev),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    // frame-ancestors does this for current browsers; older ones only know this header.
    "X-Frame-Options": "DENY",
  };
}

/** Sets the headers before anything is written, so Next's own headers are added to them. */
export function applySecurityHeaders(req: IncomingMessage, res: ServerResponse): void {
  // Next sets NODE_ENV while it prepares (development for the dev server), before any request.
  const dev = process.env.NODE_ENV === "development";
  for (const [name, value] of Object.entries(securityHeaders(req.headers.host, dev))) res.setHeader(name, value);
}
