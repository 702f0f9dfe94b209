// The lobby's invite links, from where the page is open and what the server says (/api/invite).

export type InviteInfo = { publicUrl: string | null; lan: string[] };
export type InviteLinks = { link: string; sameNetwork: string[] };

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** The link to share (the public address when set, else this page's), and, for a page on localhost, the ones a friend on the same network can open. */
export function inviteLinks(origin: string, code: string, info: InviteInfo | null): InviteLinks {
  const link = `${info?.publicUrl ?? origin}/r/${code}`;
  const local = LOCAL_HOSTS.has(new URL(origin).hostname);
  return { link, sameNetwork: local && !info?.publicUrl ? (info?.lan ?? []).map((base) => `${base}/r/${code}`) : [] };
}
