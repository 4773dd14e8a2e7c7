// One JSON line per log entry. Callers pass fields, never secrets or message bodies.
import type { Logger } from "../domain/ports";

const LEVELS = ["debug", "info", "warn", "error"] as const;
type Level = (typeof LEVELS)[number];

export function createLogger(minimumLevel: Level, write: (line: string) => void = (l) => process.stdout.write(l + "\n")): Logger {
  const threshold = LEVELS.indexOf(minimumLevel);
  const log = (level: Level) => (message: string, fields: Record<string, unknown> = {}) => {
    if (LEVELS.indexOf(level) < threshold) return;
    write(JSON.stringify({ time: new Date().toISOString(), level, message, ...fields }));
  };
  return { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") };
}
