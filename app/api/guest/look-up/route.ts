import { lookUpGuestLink } from "@/lib/guests/guest-redemption";
import { guestJson, linkUnavailable, readJsonBody, recordLinkFailure, refusedRequest, tooManyFailures } from "@/lib/guests/guest-http";
import { lookUpInput } from "@/lib/guests/guest-input";
import { clientAddress } from "@/lib/guests/request-checks";
import { guestSessionIdFromCookie, portalGuests } from "@/lib/guests/portal-guests";

export const dynamic = "force-dynamic";

/** What the landing page shows for a link; the secret comes in the body, never in the URL. */
export async function POST(req: Request) {
  const { deps, limiter } = portalGuests();
  const refused = refusedRequest(req, deps.config.portalUrl);
  if (refused) return refused;
  const parsed = lookUpInput.safeParse(await readJsonBody(req));
  const details = parsed.success ? await lookUpGuestLink(deps, parsed.data.secret, await guestSessionIdFromCookie()) : null;
  // An address that keeps failing learns nothing more, except a returning guest of this very link.
  const wait = limiter.retryAfter(clientAddress(req.headers));
  if (wait > 0 && !details?.returning) return tooManyFailures(wait);
  if (!details) {
    recordLinkFailure(limiter, deps.log, req, "look-up");
    return linkUnavailable();
  }
  return guestJson(details);
}
