// LOG_FORMAT=json: one object per line, words in msg, an error's message and stack apart.
import { test } from "node:test";
import assert from "node:assert/strict";
import { jsonLine } from "../../server/log";

test("jsonLine", () => {
  const time = new Date("2026-12-07T17:00:00.000Z");
  const circular: Record<string, unknown> = {};
  circular.self = circular;
  const error = new Error("connection refused");
  const cases: { args: unknown[]; want: Record<string, unknown> }[] = [
    { args: ["room ABCDEF taken up"], want: { time: time.toISOString(), level: "info", msg: "room ABCDEF taken up" } },
    { args: ["saved", { rows: 3 }, 7], want: { time: time.toISOString(), level: "info", msg: 'saved {"rows":3} 7' } },
    { args: ["[object Object]", circular], want: { time: time.toISOString(), level: "info", msg: "[object Object] [object Object]" } },
  ];
  for (const c of cases) assert.deepEqual(JSON.parse(jsonLine("info", c.args, time)), c.want);
  const withError = JSON.parse(jsonLine("error", ["request failed", error], time));
  assert.equal(withError.msg, "request failed");
  assert.equal(withError.error, "connection refused");
  assert.match(withError.stack, /^Error: connection refused\n/);
  assert.equal(jsonLine("warn", ["a\nb"], time).includes("\n"), false, "one line, whatever the message holds");
});
