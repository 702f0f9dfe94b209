import { test } from "node:test";
import assert from "node:assert/strict";
import { clientSchemas, cleanNickname, nicknameSkeleton } from "../../protocol";
import { createRoom, join, type Outcome, type RoomState } from "../../game/room";

test("cleaning: NFKC, nothing invisible or reordering, single spaces", () => {
  const cases: [raw: string, clean: string][] = [
    ["Sam", "Sam"],
    ["  Sam   Lee ", "Sam Lee"],
    ["h\u200Bo\u200Bs\u200Bt", "host"], // zero-width spaces
    ["\u202Etsoh\u202C", "tsoh"], // right-to-left override: shown as "host", kept as typed without it
    ["\u2066host\u2069", "host"], // isolates
    ["ho\u00ADst", "host"], // soft hyphen
    ["ho\u2060st\uFEFF", "host"], // word joiner, BOM
    ["\u3164\u115Fhost", "host"], // Hangul fillers draw nothing
    ["ｈｏｓｔ", "host"], // full-width
    ["𝐡𝐨𝐬𝐭", "host"], // mathematical bold
    ["ﬁsh", "fish"], // ligature
    ["tab\there\nline", "tab here line"],
    ["Zoë", "Zoë"], // letters with accents stay as typed
    ["小明", "小明"],
  ];
  for (const [raw, clean] of cases) assert.equal(cleanNickname(raw), clean, JSON.stringify(raw));
  // The schema cleans before it checks: a name of nothing but invisible characters is refused.
  assert.equal(clientSchemas["room:create"].safeParse({ nickname: "\u200B\u202E\u200D" }).success, false);
  assert.equal(clientSchemas["room:create"].parse({ nickname: "h\u200Bost" }).nickname, "host");
});

test("lookalike names fold to one form; different names don't", () => {
  const same: [string, string][] = [
    ["host", "HOST"],
    ["host", "hоst"], // Cyrillic о
    ["host", "Ηοѕt"], // Greek Eta and omicron, Cyrillic dze
    ["host", "h0st"],
    ["host", "hóst"],
    ["Bill", "BiII"], // capital i for l
    ["Sam Lee", "sam_lee"],
    ["martin", "rnartin"],
    ["paypal", "рaypаl"],
  ];
  for (const [a, b] of same) assert.equal(nicknameSkeleton(a), nicknameSkeleton(b), `${a} ~ ${b}`);
  const different: [string, string][] = [["host", "hose"], ["Sam", "Pam"], ["Ann", "Anna"], ["小明", "小红"]];
  for (const [a, b] of different) assert.notEqual(nicknameSkeleton(a), nicknameSkeleton(b), `${a} vs ${b}`);
});

test("a lookalike joins under a name that reads differently", () => {
  const ok = (o: Outcome): RoomState => {
    assert.ok(o.ok, JSON.stringify(o));
    return o.state;
  };
  let s = ok(join(createRoom("ABCDEF"), { id: "p1", nickname: "host" }));
  for (const [id, nickname] of [["p2", "hоst"], ["p3", "HOST"], ["p4", "h0st"]] as const) s = ok(join(s, { id, nickname }));
  assert.deepEqual(s.seats.map((p) => p.nickname), ["host", "hоst 2", "HOST 3", "h0st 4"]);
});
