// GET /api/invite: what the lobby's invite link should start with. PUBLIC_URL when the operator set
// one (behind a proxy or a tunnel the server can't know its public address); and, for a page opened
// on this machine itself (localhost), the addresses a friend on the same network can open, since
// "localhost" means their own device to them. Other visitors never learn the machine's addresses.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { NetworkInterfaceInfo } from "node:os";

export type InviteView = { publicUrl: string | null; lan: string[] };

/** PUBLIC_URL as an origin without a trailing slash; a clear error for one that is not an http(s) URL. */
export function parsePublicUrl(value: string | undefined): string | null {
  if (!value) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`PUBLIC_URL must be a full address such as https://doodle.example.com, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`PUBLIC_URL must start with http:// or https://, got ${JSON.stringify(value)}`);
  return url.href.replace(/\/+$/, "");
}

/** http://ADDRESS:PORT for each IPv4 address other devices can reach (not loopback, not link-local). */
export function lanAddresses(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>, port: number): string[] {
  return Object.values(interfaces)
    .flatMap((list) => list ?? [])
    .filter((i) => i.family === "IPv4" && !i.internal && !i.address.startsWith("169.254."))
    .map((i) => `http://${i.address}:${port}`);
}

export function isLoopback(address: string | undefined): boolean {
  return address === "::1" || /^(::ffff:)?127\./.test(address ?? "");
}

export function handleInvite(req: IncomingMessage, res: ServerResponse, view: (fromLoopback: boolean) => InviteView): void {
  res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(view(isLoopback(req.socket.remoteAddress))));
}
