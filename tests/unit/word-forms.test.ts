// How the prompt words read in sentences: articles and plurals from the table, for every word.
import { test } from "node:test";
import assert from "node:assert/strict";
import { danceTitle, formsOf, WORD_FORMS } from "../../game/word-forms";
import { WORDS } from "../../game/words";

test("word forms", () => {
  const cases: { word: string; one: string; many: string; title: string }[] = [
    { word: "cat", one: "a cat", many: "cats", title: "The cats dance" },
    { word: "apple", one: "an apple", many: "apples", title: "The apples dance" },
    { word: "mouse", one: "a mouse", many: "mice", title: "The mice dance" },
    { word: "tooth", one: "a tooth", many: "teeth", title: "The teeth dance" },
    { word: "headphones", one: "a pair of headphones", many: "headphones", title: "The headphones dance" },
    { word: "stairs", one: "stairs", many: "stairs", title: "The stairs dance" },
    { word: "grass", one: "grass", many: "grass", title: "The grass dance" },
    { word: "bench", one: "a bench", many: "benches", title: "The benches dance" },
    { word: "potato", one: "a potato", many: "potatoes", title: "The potatoes dance" },
    { word: "smiley face", one: "a smiley face", many: "smiley faces", title: "The smiley faces dance" },
    // Not in the table (a retrained guesser's new category): the word itself, never a guessed "-s".
    { word: "platypus", one: "platypus", many: "platypus", title: "The platypus dance" },
    // Table keys are words only, not Object's own properties.
    { word: "constructor", one: "constructor", many: "constructor", title: "The constructor dance" },
  ];
  for (const c of cases) {
    assert.deepEqual(formsOf(c.word), { one: c.one, many: c.many }, c.word);
    assert.equal(danceTitle(c.word), c.title);
  }
});

test("every prompt word has its forms in the table, and the table has no word the game lacks", () => {
  const words = WORDS.map((w) => w.word);
  assert.deepEqual(words.filter((w) => !Object.hasOwn(WORD_FORMS, w)), []);
  assert.deepEqual(Object.keys(WORD_FORMS).filter((w) => !words.includes(w)), []);
  for (const [word, forms] of Object.entries(WORD_FORMS)) {
    // The forms are of this word, not a slip of the pen: each contains it, or its irregular plural.
    assert.ok(forms.one.endsWith(word), `${word}: ${forms.one}`);
  }
});
