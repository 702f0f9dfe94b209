// One tiny logger so tests can silence the server (LOG_LEVEL=silent) without touching code.
const levels = { silent: 0, error: 1, warn: 2, info: 3 } as const;
type Level = keyof typeof levels;
const current: Level = (process.env.LOG_LEVEL as Level) in levels ? (process.env.LOG_LEVEL as Level) : "info";

function at(level: Exclude<Level, "silent">) {
  return (...args: unknown[]) => {
    if (levels[current] >= levels[level]) console[level === "info" ? "log" : level](`[${level}]`, ...args);
  };
}

export const log = { error: at("error"), warn: at("warn"), info: at("info") };

/**
 * A warning that may fire thousands of times a second (e.g. every queued stroke when the database
 * is down): logged at most once per interval, with how many were folded in, and no stack.
 */
export function throttledWarning(message: string, intervalMs = 5000): (err: unknown) => void {
  let last = -Infinity;
  let folded = 0;
  return (err) => {
    const now = Date.now();
    if (now - last < intervalMs) {
      folded++;
      return;
    }
    const more = folded ? ` (+${folded} more since the last report)` : "";
    log.warn(`${message}${more}: ${err instanceof Error ? err.message : String(err)}`);
    last = now;
    folded = 0;
  };
}
