/**
 * Expected failures carry a code, a category (which decides the HTTP status
 * at every edge) and a message a person understands. Anything else is a bug:
 * logged with an error id, shown as a generic message, never as a stack.
 */
export type ErrorCategory = "invalid" | "unauthenticated" | "forbidden" | "not-found" | "conflict" | "unavailable" | "rate-limited";

const STATUS: Record<ErrorCategory, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  "not-found": 404,
  conflict: 409,
  "rate-limited": 429,
  unavailable: 503,
};

export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly category: ErrorCategory,
    readonly userMessage: string,
    readonly fieldErrors: Record<string, string> = {},
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${userMessage}`, options);
    this.name = "AppError";
  }

  get status(): number {
    return STATUS[this.category];
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
