import { guestCookie } from "@/lib/guests/guest-session";
import { guestJson, linkUnavailable, readJsonBody, recordLinkFailure, refusedRequest, tooManyFailures } from "@/lib/guests/guest-http";
import { redeemInput } from "@/lib/guests/guest-input";
import { isReturningGuest, redeemGuestLink } from "@/lib/guests/guest-redemption";
import { clientAddress } from "@/lib/guests/request-checks";
import { guestSessionIdFromCookie, portalGuests } from "@/lib/guests/portal-guests";

export const dynamic = "force-dynamic";

/**
 * Redeems a link: the secret, the chosen name and the accepted rules
 * version in the body. Sets the guest's session cookie and answers where to
 * go. Successful redemptions are never throttled; failed ones count per address.
 */
export async function POST(req: Request) {
  const { deps, limiter } = portalGuests();
  const refused = refusedRequest(req, deps.config.portalUrl);
  if (refused) return refused;
  const body = await readJsonBody(req);
  const parsed = redeemInput.safeParse(body);
  if (!parsed.success) {
    const codes = parsed.error.issues.map((i) => i.message);
    const code = codes.find((c) => c.startsWith("name-") || c === "rules-not-accepted") ?? "invalid";
    return guestJson({ error: code }, 400);
  }
  const sessionId = await guestSessionIdFromCookie();
  const wait = limiter.retryAfter(clientAddress(req.headers));
  if (wait > 0 && !(await isReturningGuest(deps, parsed.data.secret, sessionId))) return tooManyFailures(wait);

  let outcome;
  try {
    outcome = await redeemGuestLink(deps, parsed.data, sessionId);
  } catch (err) {
    const errorId = crypto.randomUUID();
    deps.log.error({ errorId, err }, "guest redemption failed");
    return guestJson({ error: "generic", errorId }, 500);
  }
  if (outcome.kind === "refused") {
    recordLinkFailure(limiter, deps.log, req, "redeem");
    return linkUnavailable();
  }
  if (outcome.kind === "rules-outdated") return guestJson({ error: "rules-outdated", version: outcome.version }, 409);

  const res = outcome.ready
    ? guestJson({ next: "/gast/raum", status: outcome.status })
    : guestJson({ error: "setup-incomplete", retry: true }, 503, { "Retry-After": "2" });
  if (outcome.sessionId) {
    // Set even when the homeserver steps failed: the retry with this session repairs, never duplicates.
    const cookie = guestCookie(deps.config.portalUrl, outcome.expiresAt);
    res.cookies.set(cookie.name, outcome.sessionId, cookie.options);
  }
  return res;
}
