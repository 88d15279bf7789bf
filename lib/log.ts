import pino, { type Logger } from "pino";

/** Field names whose values never reach a log line, wherever they are nested. */
const REDACTED_KEYS = [
  "access_token",
  "accessToken",
  "refresh_token",
  "refreshToken",
  "id_token",
  "idToken",
  "token",
  "jwt",
  "password",
  "secret",
  "as_token",
  "hs_token",
  "authorization",
  "cookie",
  "set-cookie",
  "registration_shared_secret",
  "client_secret",
];

const redactPaths = REDACTED_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `req.headers.${k}`]);

/** Removes secrets that travel inside URLs (query strings such as ?access_token=...). */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:access_token|token|loginToken|code|state)=)[^&#]*/gi, "$1[REDACTED]");
}

/** One structured JSON logger per process; `name` says which process wrote the line. */
export function createLogger(name: string, level: string = "info"): Logger {
  return pino({
    name,
    level,
    base: { proc: name },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: redactPaths, censor: "[REDACTED]" },
    formatters: { level: (label) => ({ level: label }) },
  });
}

export type { Logger };
