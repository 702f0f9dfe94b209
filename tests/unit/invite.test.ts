// Invite links: PUBLIC_URL, the page's own address, and same-network addresses for a page on localhost.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { NetworkInterfaceInfo } from "node:os";
import { inviteLinks } from "../../app/lib/invite";
import { handleInvite, isLoopback, lanAddresses, parsePublicUrl } from "../../server/http/invite";

describe("inviteLinks", () => {
  const lan = ["http://192.168.1.20:3000"];
  const cases: { name: string; origin: string; info: Parameters<typeof inviteLinks>[2]; link: string; sameNetwork: string[] }[] = [
    { name: "localhost, server knows its LAN address", origin: "http://localhost:3000", info: { publicUrl: null, lan }, link: "http://localhost:3000/r/ABCDEF", sameNetwork: ["http://192.168.1.20:3000/r/ABCDEF"] },
    { name: "127.0.0.1 is local too", origin: "http://127.0.0.1:3000", info: { publicUrl: null, lan }, link: "http://127.0.0.1:3000/r/ABCDEF", sameNetwork: ["http://192.168.1.20:3000/r/ABCDEF"] },
    { name: "PUBLIC_URL wins, no LAN hint", origin: "http://localhost:3000", info: { publicUrl: "https://doodle.example", lan }, link: "https://doodle.example/r/ABCDEF", sameNetwork: [] },
    { name: "opened by its LAN address: already shareable", origin: "http://192.168.1.20:3000", info: { publicUrl: null, lan: [] }, link: "http://192.168.1.20:3000/r/ABCDEF", sameNetwork: [] },
    { name: "before the server answers", origin: "http://localhost:3000", info: null, link: "http://localhost:3000/r/ABCDEF", sameNetwork: [] },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(inviteLinks(c.origin, "ABCDEF", c.info), { link: c.link, sameNetwork: c.sameNetwork }));
});

describe("parsePublicUrl", () => {
  const cases: { value: string | undefined; result: string | null | RegExp }[] = [
    { value: undefined, result: null },
    { value: "", result: null },
    { value: "https://doodle.example", result: "https://doodle.example" },
    { value: "https://doodle.example/", result: "https://doodle.example" },
    { value: "http://10.0.0.5:3000/games/", result: "http://10.0.0.5:3000/games" },
    { value: "doodle.example", result: /full address/ },
    { value: "ftp://doodle.example", result: /http:\/\/ or https:\/\// },
  ];
  for (const c of cases) {
    test(String(c.value), () => {
      if (c.result instanceof RegExp) assert.throws(() => parsePublicUrl(c.value), c.result);
      else assert.equal(parsePublicUrl(c.value), c.result);
    });
  }
});

test("lanAddresses: IPv4 others can reach, not loopback or link-local", () => {
  const nic = (address: string, family: "IPv4" | "IPv6", internal = false) => ({ address, family, internal }) as NetworkInterfaceInfo;
  const interfaces = {
    lo: [nic("127.0.0.1", "IPv4", true), nic("::1", "IPv6", true)],
    eth0: [nic("192.168.1.20", "IPv4"), nic("fe80::1", "IPv6")],
    wlan0: [nic("10.0.0.7", "IPv4"), nic("169.254.3.3", "IPv4")],
  };
  assert.deepEqual(lanAddresses(interfaces, 3000), ["http://192.168.1.20:3000", "http://10.0.0.7:3000"]);
});

test("isLoopback", () => {
  const cases: [string | undefined, boolean][] = [["127.0.0.1", true], ["::ffff:127.0.0.1", true], ["::1", true], ["192.168.1.2", false], ["::ffff:10.0.0.1", false], [undefined, false]];
  for (const [address, want] of cases) assert.equal(isLoopback(address), want, String(address));
});

test("GET /api/invite: the same-network addresses only for a request from this machine", async () => {
  const { createServer } = await import("node:http");
  const seen: boolean[] = [];
  const server = createServer((req, res) => handleInvite(req, res, (fromLoopback) => {
    seen.push(fromLoopback);
    return { publicUrl: null, lan: fromLoopback ? ["http://192.168.1.20:3000"] : [] };
  }));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}/api/invite`);
    assert.equal(res.headers.get("cache-control"), "no-store");
    assert.deepEqual(await res.json(), { publicUrl: null, lan: ["http://192.168.1.20:3000"] });
    assert.deepEqual(seen, [true]);
  } finally {
    server.close();
  }
});
