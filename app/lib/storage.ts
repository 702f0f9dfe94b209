// Browser storage that never throws: private modes, full quotas and disabled storage
// just mean nothing is remembered.

export type KeyValueStore = {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
};

function pick(kind: "localStorage" | "sessionStorage"): KeyValueStore | null {
  try {
    return typeof window === "undefined" ? null : window[kind];
  } catch {
    return null;
  }
}

function read(store: KeyValueStore | null, key: string): string | null {
  try {
    return store?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

/** Returns false when the value could not be stored. */
function write(store: KeyValueStore | null, key: string, value: string | null): boolean {
  try {
    if (!store) return false;
    if (value === null) store.removeItem(key);
    else store.setItem(key, value);
    return true;
  } catch {
    return false;
  }
}

export const safeStore = (store: KeyValueStore | null) => ({
  get: (key: string) => read(store, key),
  set: (key: string, value: string | null) => write(store, key, value),
});
export type SafeStore = ReturnType<typeof safeStore>;

const NICKNAME_KEY = "doodle:nickname";
const seatKey = (code: string) => `doodle:seat:${code}`;
const watchKey = (code: string) => `doodle:watch:${code}`;
export const outboxKey = (code: string) => `doodle:outbox:${code}`;

export const local = () => safeStore(pick("localStorage"));
export const session = () => safeStore(pick("sessionStorage"));

export const loadNickname = () => local().get(NICKNAME_KEY) ?? "";
export const saveNickname = (nickname: string) => local().set(NICKNAME_KEY, nickname);
/** The seat token proves "I am the same player" when (re)joining a room. */
export const loadSeatToken = (code: string) => local().get(seatKey(code)) ?? undefined;
export const saveSeatToken = (code: string, token: string | null) => local().set(seatKey(code), token);
/** Whether this page last came to the room as a spectator, so a reload watches again rather than taking a seat. */
export const loadWatching = (code: string) => local().get(watchKey(code)) === "1";
export const saveWatching = (code: string, watching: boolean) => local().set(watchKey(code), watching ? "1" : null);
