import { NextResponse } from "next/server";
import type { FailureLimiter } from "./failure-limiter";
import type { Logger } from "../log";
import { clientAddress, requestProblem } from "./request-checks";

/** Guest API answers are never cached: they carry sessions and tokens. */
export const NO_STORE = { "Cache-Control": "no-store" } as const;

export function guestJson(body: unknown, status = 200, headers: Record<string, string> = {}): NextResponse {
  return NextResponse.json(body, { status, headers: { ...NO_STORE, ...headers } });
}

/**
 * The one answer for unknown, expired, revoked and used-up links: same
 * status, same body, whatever the reason (INV-02).
 */
export function linkUnavailable(): NextResponse {
  return guestJson({ error: "link-unavailable" }, 404);
}

export function tooManyFailures(retryAfterSeconds: number): NextResponse {
  return guestJson({ error: "rate-limited", retryAfter: retryAfterSeconds }, 429, { "Retry-After": String(retryAfterSeconds) });
}

/** Refuses cross-site and non-JSON posts before anything else happens. */
export function refusedRequest(req: Request, portalUrl: string): NextResponse | null {
  const problem = requestProblem(req.headers, portalUrl);
  if (!problem) return null;
  return guestJson({ error: problem }, problem === "not-json" ? 415 : 403);
}

export async function readJsonBody(req: Request): Promise<unknown> {
  const text = await req.text();
  if (text.length > 4_096) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** Counts a failed look-up or redemption against the address; logs it without the secret. */
export function recordLinkFailure(limiter: FailureLimiter, log: Logger, req: Request, what: string): void {
  const address = clientAddress(req.headers);
  const retryAfter = limiter.recordFailure(address);
  log.info({ address, what, limited: retryAfter > 0 }, "guest link refused");
}
