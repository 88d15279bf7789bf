import { z } from "zod";

/** A Matrix error answer, with the homeserver's errcode for callers to branch on. */
export class MatrixApiError extends Error {
  constructor(
    readonly status: number,
    readonly errcode: string,
    message: string,
  ) {
    super(message);
    this.name = "MatrixApiError";
  }
}

const errorBody = z.object({ errcode: z.string().optional(), error: z.string().optional() });

export interface MatrixRequest {
  homeserverUrl: string;
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Already URL-encoded path, e.g. `/_matrix/client/v3/account/whoami`. */
  path: string;
  accessToken?: string;
  body?: unknown;
  fetchFn?: typeof fetch;
  timeoutMs?: number;
}

/** One small typed call to the homeserver; the response is checked against `schema`. */
export async function matrixRequest<T>(req: MatrixRequest, schema: z.ZodType<T>): Promise<T> {
  const res = await (req.fetchFn ?? fetch)(`${req.homeserverUrl}${req.path}`, {
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
    throw new MatrixApiError(res.status, errcode, `${req.method} ${req.path.split("?")[0]}: ${errcode}`);
  }
  return schema.parse(json);
}

export const enc = encodeURIComponent;
