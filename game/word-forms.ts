// How each prompt word reads in a sentence: with its article ("an apple", "a pair of headphones",
// just "grass") and as a plural ("mice", "stairs"). English has too many exceptions for rules
// ("mouse" → "mice", "headphones" is already plural), so every category is spelled out here; a
// table test checks that each of the game's words has its forms.

export type WordForms = {
  /** One of it, as after "I see...": "a cat", "an ear", "a pair of headphones", "grass". */
  one: string;
  /** Several, as in "the cats dance": "cats", "mice", "stairs". */
  many: string;
};

const a = (word: string, many: string): WordForms => ({ one: `a ${word}`, many });
const an = (word: string, many: string): WordForms => ({ one: `an ${word}`, many });
/** Words that take no article either way: mass nouns and plural-only things. */
const bare = (word: string): WordForms => ({ one: word, many: word });

export const WORD_FORMS: Readonly<Record<string, WordForms>> = {
  airplane: an("airplane", "airplanes"),
  ant: an("ant", "ants"),
  apple: an("apple", "apples"),
  banana: a("banana", "bananas"),
  "baseball bat": a("baseball bat", "baseball bats"),
  bench: a("bench", "benches"),
  bicycle: a("bicycle", "bicycles"),
  calculator: a("calculator", "calculators"),
  camera: a("camera", "cameras"),
  candle: a("candle", "candles"),
  canoe: a("canoe", "canoes"),
  cat: a("cat", "cats"),
  circle: a("circle", "circles"),
  "coffee cup": a("coffee cup", "coffee cups"),
  computer: a("computer", "computers"),
  crayon: a("crayon", "crayons"),
  cup: a("cup", "cups"),
  diamond: a("diamond", "diamonds"),
  dragon: a("dragon", "dragons"),
  dumbbell: a("dumbbell", "dumbbells"),
  ear: an("ear", "ears"),
  eye: an("eye", "eyes"),
  feather: a("feather", "feathers"),
  finger: a("finger", "fingers"),
  fork: a("fork", "forks"),
  "frying pan": a("frying pan", "frying pans"),
  "golf club": a("golf club", "golf clubs"),
  grass: bare("grass"),
  guitar: a("guitar", "guitars"),
  headphones: { one: "a pair of headphones", many: "headphones" },
  hexagon: a("hexagon", "hexagons"),
  house: a("house", "houses"),
  "house plant": a("house plant", "house plants"),
  jail: a("jail", "jails"),
  knee: a("knee", "knees"),
  leg: a("leg", "legs"),
  line: a("line", "lines"),
  lipstick: a("lipstick", "lipsticks"),
  lollipop: a("lollipop", "lollipops"),
  map: a("map", "maps"),
  matches: bare("matches"),
  monkey: a("monkey", "monkeys"),
  moon: a("moon", "moons"),
  mountain: a("mountain", "mountains"),
  mouse: a("mouse", "mice"),
  mouth: a("mouth", "mouths"),
  nail: a("nail", "nails"),
  nose: a("nose", "noses"),
  ocean: an("ocean", "oceans"),
  octagon: an("octagon", "octagons"),
  "paint can": a("paint can", "paint cans"),
  paintbrush: a("paintbrush", "paintbrushes"),
  "paper clip": a("paper clip", "paper clips"),
  peanut: a("peanut", "peanuts"),
  pear: a("pear", "pears"),
  pencil: a("pencil", "pencils"),
  potato: a("potato", "potatoes"),
  rain: bare("rain"),
  rake: a("rake", "rakes"),
  skyscraper: a("skyscraper", "skyscrapers"),
  "smiley face": a("smiley face", "smiley faces"),
  snowflake: a("snowflake", "snowflakes"),
  sock: a("sock", "socks"),
  spoon: a("spoon", "spoons"),
  square: a("square", "squares"),
  squiggle: a("squiggle", "squiggles"),
  stairs: bare("stairs"),
  table: a("table", "tables"),
  television: a("television", "televisions"),
  tent: a("tent", "tents"),
  tooth: a("tooth", "teeth"),
  toothbrush: a("toothbrush", "toothbrushes"),
  triangle: a("triangle", "triangles"),
  "wine bottle": a("wine bottle", "wine bottles"),
  zigzag: a("zigzag", "zigzags"),
};

/** A word's forms; one not in the table (a retrained guesser's new category) reads as itself, never misspelled by a rule. */
export function formsOf(word: string): WordForms {
  return Object.hasOwn(WORD_FORMS, word) ? WORD_FORMS[word]! : bare(word);
}

/** "The mice dance", "The stairs dance". */
export function danceTitle(word: string): string {
  return `The ${formsOf(word).many} dance`;
}
