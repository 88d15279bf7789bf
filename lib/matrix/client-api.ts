import { z } from "zod";

/**
 * A Matrix error answer, with the homeserver's errcode for callers to branch
 * on and the wait it asked for (Retry-After, else the body's retry_after_ms),
 * so every caller - portal or bots - can honour a 429 the same way.
 */
export class MatrixApiError extends Error {
  constructor(
    readonly status: number,
    readonly errcode: string,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "MatrixApiError";
  }
}

const errorBody = z.object({ errcode: z.string().optional(), error: z.string().optional() });

/** Retry-After as seconds or an HTTP date, else Synapse's retry_after_ms in the body. */
export function parseRetryAfterMs(header: string | null, body: unknown, now: number = Date.now()): number | undefined {
  if (header !== null && header.trim() !== "") {
    const value = header.trim();
    if (/^\d+$/.test(value)) return Number(value) * 1_000;
    const date = Date.parse(value);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const fromBody = (body as { retry_after_ms?: unknown } | null)?.retry_after_ms;
  return typeof fromBody === "number" && fromBody >= 0 ? fromBody : undefined;
}

export interface MatrixRequest {
  homeserverUrl: string;
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Already URL-encoded path, e.g. `/_matrix/client/v3/account/whoami`. */
  path: string;
  accessToken?: string;
  /** Application services act as one of their users (`?user_id=`). */
  asUserId?: string;
  body?: unknown;
  fetchFn?: typeof fetch;
  timeoutMs?: number;
}

/** One small typed call to the homeserver; the response is checked against `schema`. */
export async function matrixRequest<T>(req: MatrixRequest, schema: z.ZodType<T>): Promise<T> {
  const query = req.asUserId ? `${req.path.includes("?") ? "&" : "?"}user_id=${enc(req.asUserId)}` : "";
  const res = await (req.fetchFn ?? fetch)(`${req.homeserverUrl}${req.path}${query}`, {
    method: req.method,
    headers: {
      ...(req.accessToken ? { Authorization: `Bearer ${req.accessToken}` } : {}),
      ...(req.body !== undefined ? { "Content-Type": "application/json" } : {}),
    },
    body: req.body !== undefined ? JSON.stringify(req.body) : undefined,
    redirect: "manual",
    signal: AbortSignal.timeout(req.timeoutMs ?? 10_000),
  });
  const json: unknown = await res.json().catch(() => ({}));
  if (!res.ok) {
    const e = errorBody.safeParse(json);
    const errcode = (e.success && e.data.errcode) || `HTTP_${res.status}`;
    throw new MatrixApiError(
      res.status,
      errcode,
      `${req.method} ${req.path.split("?")[0]}: ${errcode}`,
      parseRetryAfterMs(res.headers.get("retry-after"), json),
    );
  }
  return schema.parse(json);
}

export const enc = encodeURIComponent;
