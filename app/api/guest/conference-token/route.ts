import { isAppError } from "@/lib/errors";
import { guestConference } from "@/lib/guests/guest-access";
import { guestJson } from "@/lib/guests/guest-http";
import { currentGuestSession, portalGuests } from "@/lib/guests/portal-guests";

export const dynamic = "force-dynamic";

/**
 * The guest's call: in jwt mode a short-lived, non-moderator token for the
 * one conference of the guest's room. Refused once the guest is removed,
 * expired or no longer a member on the homeserver.
 */
export async function GET() {
  const { deps } = portalGuests();
  try {
    return guestJson(await guestConference(deps, await currentGuestSession()));
  } catch (err) {
    if (isAppError(err)) return guestJson({ error: err.code }, err.status);
    const errorId = crypto.randomUUID();
    deps.log.error({ errorId, err }, "guest conference token failed");
    return guestJson({ error: "generic", errorId }, 500);
  }
}
