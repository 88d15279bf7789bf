import { LogLevel, LogService, type ILogger } from "matrix-bot-sdk";
import { redactUrl, type Logger } from "../../lib/log";

type PinoLevel = "trace" | "debug" | "info" | "warn" | "error";

/**
 * The SDK's info channel is per-request chatter (access log, "Processing
 * event ..."), so every SDK level lands one step lower in our log. Its trace
 * channel prints request bodies (message text), so it is never enabled.
 */
const SDK_TO_PINO = { debug: "trace", info: "debug", warn: "warn", error: "error" } as const;

function isPlainData(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return true;
  if (Array.isArray(value)) return true;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const SECRET_KEY = /token|secret|password|authorization|cookie/i;
const MAX_DEPTH = 6;

/** Copies plain data with secret-looking fields blanked, independent of the logger's own redaction. */
export function redactData(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redactUrl(value);
  if (typeof value !== "object" || value === null) return value;
  if (depth >= MAX_DEPTH) return "[nested]";
  if (Array.isArray(value)) return value.map((v) => redactData(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? "[REDACTED]" : redactData(v, depth + 1)]),
  );
}

/**
 * Splits the SDK's variadic arguments into a message, an error and structured
 * data. Class instances (HTTP responses carry the request and its
 * Authorization header) are reduced to their class name.
 */
function toRecord(module: string, args: unknown[]): { msg: string; fields: Record<string, unknown> } {
  const parts: string[] = [];
  const fields: Record<string, unknown> = { sdkModule: module };
  const data: unknown[] = [];
  for (const arg of args) {
    if (typeof arg === "string") parts.push(redactUrl(arg).trim());
    else if (arg instanceof Error) fields.err = arg;
    else if (arg === undefined || arg === null) continue;
    else if (isPlainData(arg)) data.push(redactData(arg));
    else data.push(`[${(arg as object).constructor?.name ?? "object"}]`);
  }
  if (data.length === 1) fields.data = data[0];
  if (data.length > 1) fields.data = data;
  return { msg: parts.join(" ") || module, fields };
}

/**
 * The SDK logs every non-2xx answer as an error before the caller sees it.
 * Callers decide whether that is a bug and log it themselves, so it is a
 * warning here; "user already registered" is the normal answer at every start.
 */
function httpErrorLevel(args: unknown[]): PinoLevel {
  const isUserInUse = args.some(
    (a) => typeof a === "object" && a !== null && (a as { errcode?: unknown }).errcode === "M_USER_IN_USE",
  );
  return isUserInUse ? "debug" : "warn";
}

/** An ILogger for matrix-bot-sdk that writes through our structured logger. */
export class SdkLogAdapter implements ILogger {
  private readonly logger: Logger;

  constructor(logger: Logger) {
    this.logger = logger.child({ component: "matrix-bot-sdk" });
  }

  private write(level: PinoLevel, module: string, args: unknown[]): void {
    const effective = module === "MatrixHttpClient" && level === "error" ? httpErrorLevel(args) : level;
    const { msg, fields } = toRecord(module, args);
    this.logger[effective](fields, msg);
  }

  trace(_module: string, ..._args: unknown[]): void {
    // Deliberately dropped: the SDK's trace output contains message bodies.
  }
  debug(module: string, ...args: unknown[]): void {
    this.write(SDK_TO_PINO.debug, module, args);
  }
  info(module: string, ...args: unknown[]): void {
    this.write(SDK_TO_PINO.info, module, args);
  }
  warn(module: string, ...args: unknown[]): void {
    this.write(SDK_TO_PINO.warn, module, args);
  }
  error(module: string, ...args: unknown[]): void {
    this.write(SDK_TO_PINO.error, module, args);
  }
}

/** The SDK level that produces exactly what the pino level would keep (never TRACE). */
export function sdkLevelFor(pinoLevel: string): LogLevel {
  if (pinoLevel === "trace") return LogLevel.DEBUG;
  if (pinoLevel === "debug") return LogLevel.INFO;
  if (pinoLevel === "info" || pinoLevel === "warn") return LogLevel.WARN;
  return LogLevel.ERROR;
}

/** Routes the SDK's process-wide LogService into `logger`. */
export function routeSdkLogging(logger: Logger): void {
  LogService.setLogger(new SdkLogAdapter(logger));
  LogService.setLevel(sdkLevelFor(logger.level));
}
