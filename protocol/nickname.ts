// Nicknames are how players tell each other apart, so a name must not be able to pass for
// another: "h\u200Bo\u200Bs\u200Bt" and "\u202Etsoh\u202C" both showed as "host" beside the real one.
// Client and server share these: the server cleans every nickname it is sent (nicknameSchema) and
// de-duplicates on the folded form (game/room.ts), the form only ever compared, never shown.

/** Characters that break a line or a word: they become spaces before the invisible ones go. */
const BREAKS = /[\t\n\v\f\r\u0085\p{Zl}\p{Zp}]/gu;
/**
 * Invisible or text-reordering characters: controls (Cc), format characters (Cf: zero-width
 * spaces and joiners, bidi embeddings, overrides and isolates, soft hyphen, BOM...), and letters
 * that draw nothing (Hangul fillers, the blank braille cell).
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\u115F\u1160\u3164\uFFA0\u2800]/gu;

/** NFKC (full-width, ligatures, styled letters to plain ones), nothing invisible, single spaces. */
export function cleanNickname(raw: string): string {
  return raw.normalize("NFKC").replace(BREAKS, " ").replace(INVISIBLE, "").replace(/\s+/gu, " ").trim();
}

/**
 * Letters from other scripts, and letter groups, that look like Latin ones in common fonts (a
 * short list after Unicode's confusables.txt: the ones a keyboard or a copy-paste gives easily).
 * Capitals first (Greek Eta is an H, its small letter an n), then the rest after lower-casing and
 * stripping accents.
 */
const CAPITAL_LOOKALIKES: [RegExp, string][] = [
  [/[ΑА]/gu, "a"], [/[ΒВ]/gu, "b"], [/[С]/gu, "c"], [/[ΕЕ]/gu, "e"], [/[ΗН]/gu, "h"], [/[ΙІ]/gu, "l"],
  [/[Ј]/gu, "j"], [/[ΚК]/gu, "k"], [/[ΜМ]/gu, "m"], [/[Ν]/gu, "n"], [/[ΟО]/gu, "o"], [/[ΡР]/gu, "p"],
  [/[Ѕ]/gu, "s"], [/[ΤТ]/gu, "t"], [/[Υ]/gu, "y"], [/[ΧХ]/gu, "x"], [/[Ζ]/gu, "z"],
];
const LOOKALIKES: [RegExp, string][] = [
  [/[аɑα]/gu, "a"], [/[в]/gu, "b"], [/[сϲ]/gu, "c"], [/[ԁ]/gu, "d"], [/[еєε]/gu, "e"], [/[ɡ]/gu, "g"],
  [/[һ]/gu, "h"], [/[іıιј1|!ӏɩ]/gu, "l"], [/[κк]/gu, "k"], [/[м]/gu, "m"], [/[пη]/gu, "n"],
  [/[оοσ0]/gu, "o"], [/[рρ]/gu, "p"], [/[ԛ]/gu, "q"], [/[ѕ5$]/gu, "s"], [/[тτ]/gu, "t"], [/[υ]/gu, "u"],
  [/[νѵ]/gu, "v"], [/[ԝω]/gu, "w"], [/[хχ]/gu, "x"], [/[уγ]/gu, "y"], [/[ᴢ]/gu, "z"],
  [/rn/gu, "m"], [/vv/gu, "w"],
];

/**
 * The form two names are compared in: "Host", "HOST", "Ηοѕt" (Greek and Cyrillic), "hóst" and
 * "H0st" all fold to one. It over-matches on purpose (a clash costs only a " 2").
 */
export function nicknameSkeleton(nickname: string): string {
  let folded = cleanNickname(nickname).normalize("NFKD").replace(/\p{M}/gu, "");
  for (const [pattern, latin] of CAPITAL_LOOKALIKES) folded = folded.replace(pattern, latin);
  // i and l fold together: "I" and "l" are one stroke in many fonts.
  folded = folded.toLowerCase().replace(/i/gu, "l");
  for (const [pattern, latin] of LOOKALIKES) folded = folded.replace(pattern, latin);
  return folded.replace(/[\s._-]/gu, "");
}
