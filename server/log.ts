// One tiny logger so tests can silence the server (LOG_LEVEL=silent) without touching code, and
// operators can have one JSON object per line (LOG_FORMAT=json) for their log collector.
const levels = { silent: 0, error: 1, warn: 2, info: 3 } as const;
type Level = keyof typeof levels;
const current: Level = (process.env.LOG_LEVEL as Level) in levels ? (process.env.LOG_LEVEL as Level) : "info";
const json = process.env.LOG_FORMAT === "json";

/** A log line as JSON: the words in `msg`, an error's message and stack apart, so collectors can index them. */
export function jsonLine(level: Exclude<Level, "silent">, args: unknown[], time: Date): string {
  const error = args.find((a): a is Error => a instanceof Error);
  const words = args.filter((a) => a !== error).map((a) => (typeof a === "string" ? a : printable(a)));
  return JSON.stringify({
    time: time.toISOString(),
    level,
    msg: words.join(" "),
    ...(error ? { error: error.message, stack: error.stack } : {}),
  });
}

function printable(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value); // circular
  }
}

function at(level: Exclude<Level, "silent">) {
  const write = console[level === "info" ? "log" : level];
  return (...args: unknown[]) => {
    if (levels[current] < levels[level]) return;
    if (json) write(jsonLine(level, args, new Date()));
    else write(`[${level}]`, ...args);
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
