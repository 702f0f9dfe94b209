// The CSP and the other security headers: what the policy allows for each Host, and that the HTTP
// routes put the headers on our own answers and on pages alike.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { contentSecurityPolicy } from "../../server/http/security-headers";
import { handleHttp } from "../../server/http/routes";
import { createHeavyReads } from "../../server/http/heavy-reads";
import type { GameStore } from "../../server/persistence/types";

const directive = (csp: string, name: string) => csp.split("; ").find((d) => d.startsWith(`${name} `));

describe("contentSecurityPolicy", () => {
  const cases: { host: string | undefined; connect: string }[] = [
    { host: "doodle.example", connect: "connect-src 'self' ws://doodle.example wss://doodle.example" },
    { host: "127.0.0.1:3000", connect: "connect-src 'self' ws://127.0.0.1:3000 wss://127.0.0.1:3000" },
    { host: "[::1]:3000", connect: "connect-src 'self' ws://[::1]:3000 wss://[::1]:3000" },
    // A Host header is the client's to write: anything odd must not reach the policy.
    { host: "evil.example; script-src *", connect: "connect-src 'self'" },
    { host: "a b", connect: "connect-src 'self'" },
    { host: "", connect: "connect-src 'self'" },
    { host: undefined, connect: "connect-src 'self'" },
  ];
  for (const c of cases) {
    test(`Host ${JSON.stringify(c.host)}`, () => {
      const csp = contentSecurityPolicy(c.host, false);
      assert.equal(directive(csp, "connect-src"), c.connect);
      assert.equal(csp.split("; ").filter((d) => d.startsWith("script-src")).length, 1);
    });
  }

  test("production allows inline scripts and WASM, never string eval", () => {
    const csp = contentSecurityPolicy("x.example", false);
    assert.equal(directive(csp, "script-src"), "script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'");
    assert.equal(directive(csp, "worker-src"), "worker-src 'self' blob:");
    assert.equal(directive(csp, "frame-ancestors"), "frame-ancestors 'none'");
    assert.equal(directive(csp, "object-src"), "object-src 'none'");
  });

  test("dev mode adds 'unsafe-eval' for React's dev tooling", () => {
    assert.match(directive(contentSecurityPolicy("x.example", true), "script-src")!, / 'unsafe-eval'$/);
  });
});

describe("handleHttp", () => {
  test("our own routes and Next's pages both carry the headers", async () => {
    const store = {} as GameStore;
    const renderPage = async (_req: unknown, res: import("node:http").ServerResponse) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<!doctype html>");
    };
    const server = createServer((req, res) => void handleHttp(req, res, { store, renderPage, heavyReads: createHeavyReads({ trustProxy: 0 }) }));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (const path of ["/healthz", "/", "/r/ABCDEF"]) {
        const res = await fetch(base + path);
        assert.equal(res.status, 200, path);
        assert.match(res.headers.get("content-security-policy")!, /^default-src 'self'; /, path);
        assert.equal(res.headers.get("x-content-type-options"), "nosniff", path);
        assert.equal(res.headers.get("referrer-policy"), "strict-origin-when-cross-origin", path);
        assert.equal(res.headers.get("permissions-policy"), "camera=(), microphone=(), geolocation=()", path);
        assert.equal(res.headers.get("cross-origin-opener-policy"), "same-origin", path);
        assert.equal(res.headers.get("x-frame-options"), "DENY", path);
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
