import { guestMatrixCredentials } from "@/lib/guests/guest-access";
import { guestJson } from "@/lib/guests/guest-http";
import { currentGuestSession, portalGuests } from "@/lib/guests/portal-guests";
import { portalRuntime } from "@/lib/portal/runtime";

export const dynamic = "force-dynamic";

/**
 * The guest browser's own Matrix credentials for its live client, like
 * /api/matrix/session for staff (same origin only; no CORS). The account is
 * confined to one room by the homeserver's guest-limits module.
 */
export async function GET() {
  const { deps } = portalGuests();
  const creds = guestMatrixCredentials(deps, portalRuntime().config.matrix.homeserverUrl, await currentGuestSession());
  if (!creds) return guestJson({ error: "no-guest-session" }, 401);
  return guestJson(creds);
}
