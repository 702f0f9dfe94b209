// The files the browser's AI guesser loads: only the named ones, with their types, revalidated by ETag.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFile } from "node:fs/promises";
import { handleGuesserFiles } from "../../server/http/guesser-files";
import { CLASSIFIER_URL, TFJS_WASM_URL } from "../../protocol";

let server: Server;
let base = "";
before(async () => {
  server = createServer(async (req, res) => {
    if (!(await handleGuesserFiles(req, res, req.url ?? "/"))) {
      res.writeHead(418);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

test("classifier files and tfjs's WASM binaries, with types and ETags", async () => {
  const cases: [string, number, string | null][] = [
    [`${CLASSIFIER_URL}categories.json`, 200, "application/json"],
    [`${CLASSIFIER_URL}model.json`, 200, "application/json"],
    [`${CLASSIFIER_URL}weights.bin`, 200, "application/octet-stream"],
    [`${TFJS_WASM_URL}tfjs-backend-wasm-simd.wasm`, 200, "application/wasm"],
    [`${CLASSIFIER_URL}../../../package.json`, 418, null],
    [`${CLASSIFIER_URL}checkpoint/state.json`, 418, null],
    [`${TFJS_WASM_URL}tf-backend-wasm.js`, 418, null],
  ];
  for (const [path, status, type] of cases) {
    const res = await fetch(base + path);
    assert.equal(res.status, status, path);
    if (type) assert.equal(res.headers.get("content-type"), type, path);
    await res.arrayBuffer();
  }
  const categories = await (await fetch(`${base}${CLASSIFIER_URL}categories.json`)).json();
  assert.deepEqual(categories, JSON.parse(await readFile("model/weights/classifier/categories.json", "utf8")));
  const first = await fetch(`${base}${CLASSIFIER_URL}weights.bin`);
  const etag = first.headers.get("etag")!;
  await first.arrayBuffer();
  assert.equal(first.headers.get("cache-control"), "no-cache");
  const again = await fetch(`${base}${CLASSIFIER_URL}weights.bin`, { headers: { "if-none-match": etag } });
  assert.equal(again.status, 304);
});
