/**
 * Whether a state-changing request came from the portal's own pages. Route
 * handlers have no CSRF protection of their own, and Next lets a server
 * action without an Origin header through; cookies being SameSite=Lax is a
 * second line, not the only one. A browser always sends Fetch-Metadata or an
 * Origin on such requests, so one of them must name the portal.
 */
export function isSameOriginRequest(headers: Pick<Headers, "get">, portalUrl: string): boolean {
  const origin = headers.get("origin");
  if (origin !== null) return origin === new URL(portalUrl).origin;
  return headers.get("sec-fetch-site") === "same-origin";
}
