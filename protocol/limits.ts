// Limits shared by client and server. The client uses them to shape what it sends
// (e.g. split a long stroke), the server enforces them on everything it receives.

/**
 * 2: drawings:snapshot became bytes (protocol/snapshot.ts). Live ink (ink:live) is an addition
 * that version-2 pages simply ignore, so it did not change the version.
 */
export const PROTOCOL_VERSION = 2;

/** Quick, Draw!'s coordinate box: x and y are integers in 0..255. */
export const COORD_MAX = 255;
export const MAX_POINTS_PER_STROKE = 500;
export const MAX_STROKES_PER_DRAWING = 300;
/**
 * Ink one player may spend on one drawing, undone and cleared strokes included (they stay
 * stored): add + clear cycles end here. The database holds drawings to the same two numbers
 * (CHECK drawings_ink_cap, prisma/migrations/*_ink_caps). 20,000 points is nearly three minutes of
 * non-stop drawing at 120 points a second, longer than any round.
 */
export const MAX_POINTS_PER_DRAWING = 20_000;
export const MAX_STROKES_SENT_PER_DRAWING = 1_000;
/** Ink one player may spend over a whole game: a snapshot of the game's drawings stays bounded. */
export const MAX_POINTS_PER_GAME = 100_000;
/** t is ms since the drawing started; no round lasts longer than this. */
export const MAX_STROKE_TIME_MS = 10 * 60 * 1000;

export const MAX_PLAYERS_PER_ROOM = 12;
/** People watching a room without a seat (game/spectators.ts); each costs a snapshot and every broadcast. */
export const MAX_SPECTATORS_PER_ROOM = 20;
export const NICKNAME_MAX_LENGTH = 20;
export const ROOM_CODE_LENGTH = 6;
/** Room codes avoid look-alike characters (0/O, 1/I/L) so they can be read aloud. */
export const ROOM_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

export const ROUNDS_MIN = 1;
export const ROUNDS_MAX = 12;
export const ROUNDS_DEFAULT = 6;
export const ROUND_SECONDS_MIN = 10;
export const ROUND_SECONDS_MAX = 120;
export const ROUND_SECONDS_DEFAULT = 20;

/** A disconnected player keeps their seat at least this long (issue: >= 2 minutes). */
export const SEAT_GRACE_MS = 3 * 60 * 1000;
/** The shortest end-of-round gallery; it lasts longer when the dance needs it (galleryMs in game/room.ts). */
export const GALLERY_MS = 8000;
/**
 * The dance after a round (game/room.ts plans it, every browser plays it on the server's clock):
 * each doodle holds for DANCE_HOLD_MS, then morphs into the next for DANCE_MORPH_MS. It starts
 * DANCE_LEAD_MS after the round ends (time for the last strokes to land and for the browsers to
 * compute the first frames). The gallery lasts the lead-in plus one loop, at least GALLERY_MS.
 */
export const DANCE_HOLD_MS = 1000;
export const DANCE_MORPH_MS = 1600;
export const DANCE_LEAD_MS = 1000;
/** Strokes drawn in a round are still accepted this long after it ended (re-sends after a reconnect). */
export const LATE_STROKE_GRACE_MS = SEAT_GRACE_MS;

/** Largest socket.io message the server accepts, in bytes (a full stroke is ~10 KB of JSON). */
export const MAX_MESSAGE_BYTES = 64 * 1024;
/** Token bucket per socket: sustained messages per second and burst size. */
export const RATE_PER_SECOND = 30;
export const RATE_BURST = 60;

/**
 * Live ink (ink:live): the points of a stroke still being drawn, sent in batches while the pen is
 * down. The client sends one batch every LIVE_BATCH_MS; batches have their own token bucket per
 * socket, apart from RATE_PER_SECOND, so a flood of live points never refuses or delays finished strokes.
 */
export const LIVE_BATCH_MS = 33;
export const LIVE_BATCHES_PER_SECOND = 40;
export const LIVE_BATCH_BURST = 80;
/** Points in one batch: a second of pointer events at 120 Hz; a longer stall sends several batches. */
export const MAX_LIVE_POINTS_PER_BATCH = 120;
/** Strokes one player may have in progress at once (a gesture cut at MAX_POINTS_PER_STROKE continues in a new one). */
export const MAX_LIVE_STROKES_PER_PLAYER = 2;

/** Where the server serves the AI guesser's classifier (model.json, weights.bin, categories.json). */
export const CLASSIFIER_URL = "/api/classifier/";
/** Where the server serves tfjs's .wasm binaries (the browser's tfjs setWasmPaths). */
export const TFJS_WASM_URL = "/api/tfjs-wasm/";
