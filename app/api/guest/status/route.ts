import { guestJson } from "@/lib/guests/guest-http";
import { currentGuestSession } from "@/lib/guests/portal-guests";

export const dynamic = "force-dynamic";

/** Where the guest stands (the waiting page polls this): waiting, admitted, or no session. */
export async function GET() {
  const session = await currentGuestSession();
  if (!session) return guestJson({ status: "none" }, 401);
  return guestJson({ status: session.guest.status, ready: session.guest.joinedAt !== null });
}
