/**
 * Checks for the guest API's POST route handlers, which Next does not
 * protect against cross-site requests (WEB-01): the body must be JSON, and a
 * browser's Fetch-Metadata or Origin must say the request came from the
 * portal itself.
 */
export type RequestProblem = "cross-site" | "not-json";

export function requestProblem(headers: Headers, portalUrl: string): RequestProblem | null {
  const site = headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") return "cross-site";
  const origin = headers.get("origin");
  if (origin !== null && origin !== new URL(portalUrl).origin) return "cross-site";
  const type = headers.get("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) return "not-json";
  return null;
}

/**
 * The client's address for rate limiting. Behind the city's reverse proxy the
 * last X-Forwarded-For entry is the one that proxy appended (earlier entries
 * are whatever the client sent and prove nothing); without a proxy there is
 * no address to read in a route handler, and everyone shares one bucket.
 */
export function clientAddress(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for");
  if (forwarded) {
    const last = forwarded.split(",").map((s) => s.trim()).filter(Boolean).at(-1);
    if (last) return last.slice(0, 64);
  }
  const real = headers.get("x-real-ip")?.trim();
  return real ? real.slice(0, 64) : "unknown";
}
