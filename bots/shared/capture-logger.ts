import pino from "pino";
import type { Logger } from "../../lib/log";

/** A real pino logger whose JSON lines land in an array, for assertions in tests. */
export function captureLogger(level = "trace"): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level, formatters: { level: (label) => ({ level: label }) } },
    { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { logger, lines };
}
