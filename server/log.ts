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
