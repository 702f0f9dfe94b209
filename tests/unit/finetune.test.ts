// Pure parts of the fine-tune feature: request parsing, the publish gate, packing, admin sessions.
import assert from "node:assert/strict";
import { test } from "node:test";
import { judge, type Figures } from "../../server/finetune/gate";
import { packFiles, unpackFiles, isSafeRelativePath } from "../../server/finetune/pack";
import { parseFinetuneRequest } from "../../server/finetune/params";
import { createAdminAuth, isSameOriginJson, LOGINS_PER_ADDRESS_PER_MINUTE, LOGINS_PER_MINUTE, SESSION_MS } from "../../server/http/admin-auth";
import { splitNewDoodles } from "../../server/worker/finetune-job";

test("fine-tune requests", () => {
  const cases: [unknown, boolean | RegExp][] = [
    [{}, true], [{ steps: 3, learningRate: 1e-4, categories: ["cat"] }, true],
    [{ steps: 0 }, /steps must/], [{ steps: "5" }, /steps must/], [{ steps: 5001 }, /steps must/], [{ steps: 1.5 }, /steps must/],
    [{ learningRate: 0 }, /learningRate must/], [{ learningRate: "fast" }, /learningRate must/],
    [{ categories: ["cat", "zzz"] }, /Unknown category: zzz/], [{ categories: "cat" }, /categories/], [null, /request/],
  ];
  for (const [body, want] of cases) {
    const r = parseFinetuneRequest(body);
    if (want === true) assert.equal(r.ok, true, JSON.stringify(body));
    else assert.match(r.ok ? "" : r.error, want as RegExp, JSON.stringify(body));
  }
  const r = parseFinetuneRequest({ categories: ["cat", "cat"] });
  assert.deepEqual(r.ok && r.params, { steps: 200, learningRate: 1e-4, categories: ["cat"] });
});

test("publish gate", () => {
  const f = (l1: number, top5: number | null, n = 100): Figures => ({ heldOut: { n, l1, top1: null, top5 }, newHeldOut: { n, l1, top1: null, top5 }, midpoints: { n, top5 } });
  const cases: [Figures, Figures, boolean][] = [
    [f(0.1, 0.5), f(0.1, 0.5), true],
    [f(0.1, 0.5), f(0.104, 0.49), true], // within margins
    [f(0.1, 0.5), f(0.106, 0.5), false], // L1 regressed
    [f(0.1, 0.5), f(0.1, 0.47), false], // top-5 regressed
    [f(0.1, 0.5, 5), f(0.1, 0.1, 5), true], // too few doodles to judge hit rates
    [f(0.1, null), f(0.1, null), true], // no classifier: L1 only
  ];
  for (const [parent, candidate, ok] of cases) assert.equal(judge(parent, candidate).publishable, ok, JSON.stringify(candidate));
});

test("packed files round-trip and refuse unsafe paths", () => {
  const files = new Map([["a/model.json", Buffer.from("{}")], ["b.bin", Buffer.from([1, 2, 3])], ["empty", Buffer.alloc(0)]]);
  assert.deepEqual(unpackFiles(packFiles(files)), files);
  for (const [p, ok] of [["a/b", true], ["../x", false], ["/etc", false], ["a//b", false], ["a\\b", false], ["", false]] as const) assert.equal(isSafeRelativePath(p), ok, p);
});

test("admin sessions and same-origin checks", async () => {
  let now = 1_000_000;
  // Postgres's admin_session_version row, as every server would see it.
  let version = 0;
  const versions = { current: async () => version, revokeAll: async () => void version++, close: async () => {} };
  const auth = createAdminAuth("secret", versions, () => now);
  assert.equal(auth.tokenMatches("secret"), true);
  assert.equal(auth.tokenMatches("secreT"), false);
  assert.equal(auth.tokenMatches(""), false);
  const cookieValue = async (a = auth) => (await a.sessionCookie(false)).split(";")[0]!.split("=")[1]!;
  const value = await cookieValue();
  assert.equal(await auth.isSession(value), true);
  assert.equal(await createAdminAuth("other", versions, () => now).isSession(value), false);
  assert.equal(await auth.isSession(value.replace(/^\d+/, String(now + 2 * SESSION_MS))), false, "tampered expiry");
  const otherServer = createAdminAuth("secret", versions, () => now);
  await auth.revokeAll();
  assert.equal(await otherServer.isSession(value), false, "logged out on every server");
  assert.equal(await auth.isSession(value.replace(/\.0\./, ".1.")), false, "tampered version");
  const fresh = await cookieValue();
  assert.equal(await otherServer.isSession(fresh), true, "a new login counts");
  now += SESSION_MS + 1;
  assert.equal(await auth.isSession(fresh), false, "expired");
  const req = (headers: Record<string, string>) => ({ headers }) as never;
  assert.equal(isSameOriginJson(req({ host: "a:3000", origin: "http://a:3000", "content-type": "application/json" })), true);
  assert.equal(isSameOriginJson(req({ host: "a:3000", origin: "http://b:3000", "content-type": "application/json" })), false);
  assert.equal(isSameOriginJson(req({ host: "a:3000", "content-type": "application/json" })), false);
  assert.equal(isSameOriginJson(req({ host: "a:3000", origin: "http://a:3000", "content-type": "text/plain" })), false);
});

test("login attempts: a few per address a minute, a few more from everyone together", () => {
  let now = 0;
  const auth = createAdminAuth("secret", { current: async () => 0, revokeAll: async () => {}, close: async () => {} }, () => now);
  const tries = (address: string, n: number) => Array.from({ length: n }, () => auth.mayTryLogin(address));
  assert.deepEqual(tries("1.1.1.1", LOGINS_PER_ADDRESS_PER_MINUTE + 1), [...Array(LOGINS_PER_ADDRESS_PER_MINUTE).fill(true), false]);
  assert.equal(auth.mayTryLogin("2.2.2.2"), true, "another address is not held back");
  now += 60_000;
  assert.equal(auth.mayTryLogin("1.1.1.1"), true, "a minute later");
  // Many addresses together still meet the overall limit.
  const spray = Array.from({ length: LOGINS_PER_MINUTE }, (_, i) => auth.mayTryLogin(`10.0.${i}.1`));
  assert.equal(spray.at(-1), false);
});

test("new doodles: a stable 10% held out, at least one from two", () => {
  const d = (n: number) => Array.from({ length: n }, (_, i) => ({ drawingId: `id-${i}` }));
  for (const [n, held] of [[0, 0], [1, 0], [2, 1], [19, 1], [20, 2], [100, 10]] as const) assert.equal(splitNewDoodles(d(n)).heldOut.length, held, String(n));
  assert.deepEqual(splitNewDoodles(d(30)).heldOut, splitNewDoodles(d(30).reverse()).heldOut);
});
