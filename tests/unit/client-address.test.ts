import { test } from "node:test";
import assert from "node:assert/strict";
import { clientAddress, parseTrustProxy } from "../../server/realtime/client-address";

test("the client's address: the peer's unless proxies are trusted, then that many hops back", () => {
  const cases: [remote: string, xff: string | string[] | undefined, trusted: number, expected: string][] = [
    ["10.0.0.9", "6.6.6.6", 0, "10.0.0.9"], // off: the header is the client's to forge
    ["::ffff:10.0.0.9", undefined, 0, "10.0.0.9"],
    ["10.0.0.9", undefined, 1, "10.0.0.9"], // a request that came round the proxy
    ["10.0.0.9", "", 1, "10.0.0.9"],
    ["10.0.0.9", "1.2.3.4", 1, "1.2.3.4"],
    ["10.0.0.9", "6.6.6.6, 1.2.3.4", 1, "1.2.3.4"], // what the client wrote before the proxy's entry is not believed
    ["10.0.0.9", "6.6.6.6, 1.2.3.4, 10.0.0.8", 2, "1.2.3.4"],
    ["10.0.0.9", ["6.6.6.6", "1.2.3.4"], 1, "1.2.3.4"],
    ["10.0.0.9", "1.2.3.4", 3, "1.2.3.4"], // fewer hops than proxies: as far back as it goes
    ["10.0.0.9", "2001:db8::1", 1, "2001:db8::1"],
    ["10.0.0.9", "::ffff:1.2.3.4", 1, "1.2.3.4"],
    ["10.0.0.9", "not-an-address", 1, "10.0.0.9"],
  ];
  for (const [remote, xff, trusted, expected] of cases) {
    assert.equal(clientAddress(remote, xff, trusted), expected, `${remote} ${JSON.stringify(xff)} trusting ${trusted}`);
  }
});

test("TRUST_PROXY values", () => {
  const cases: [string | undefined, number][] = [[undefined, 0], ["", 0], ["0", 0], ["false", 0], ["true", 1], ["TRUE", 1], ["1", 1], ["2", 2]];
  for (const [value, expected] of cases) assert.equal(parseTrustProxy(value), expected, String(value));
  for (const bad of ["yes", "-1", "1.5", "100"]) assert.throws(() => parseTrustProxy(bad), /TRUST_PROXY must be/);
});
