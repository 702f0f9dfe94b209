// Whose request is it? Every per-address limit keys on this. Behind a reverse proxy or load
// balancer (wss, several servers) the socket's own address is the proxy's, so one guesser would
// lock out the whole site; with TRUST_PROXY the proxies' X-Forwarded-For names the client instead.
// Off by default: without a proxy in front, that header is whatever the client wants it to be.
import { isIP } from "node:net";

/**
 * TRUST_PROXY: unset, "", "0" or "false": off; "true": one proxy; N: N proxies in a row (each
 * appends the address it got the request from, so the client is N entries from the right).
 */
export function parseTrustProxy(value: string | undefined): number {
  const v = (value ?? "").trim().toLowerCase();
  if (v === "" || v === "false" || v === "0") return 0;
  if (v === "true") return 1;
  if (/^[1-9][0-9]?$/.test(v)) return Number(v);
  throw new Error(`TRUST_PROXY must be true, false or the number of proxies in front of the server (1-99), not "${value}"`);
}

/**
 * The client's address: `remote` (the socket's peer) unless `trustedProxies` > 0, then the address
 * that many hops back in X-Forwarded-For, as far back as the header goes. An entry that is not an
 * IP address was not written by a proxy we trust: the peer's address stands then.
 */
export function clientAddress(remote: string, forwardedFor: string | string[] | undefined, trustedProxies: number): string {
  const peer = unmapped(remote);
  if (trustedProxies === 0 || forwardedFor === undefined) return peer;
  const hops = [forwardedFor].flat().join(",").split(",").map((a) => a.trim()).filter(Boolean);
  if (hops.length === 0) return peer;
  const candidate = unmapped(hops[Math.max(0, hops.length - trustedProxies)]!);
  return isIP(candidate) ? candidate : peer;
}

/** "::ffff:1.2.3.4" and "1.2.3.4" are one client. */
const unmapped = (address: string) => address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "");
