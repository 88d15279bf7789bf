import { cookies } from "next/headers";
import { createGuestAccounts } from "../matrix/guest-accounts";
import { portalRuntime } from "../portal/runtime";
import { createFailureLimiter, GUEST_FAILURE_LIMIT, type FailureLimiter } from "./failure-limiter";
import { guestConfigFrom, type GuestDeps } from "./guest-deps";
import { guestCookieName } from "./guest-session";
import { findGuestSession, type GuestSession } from "./guest-sessions";

/** The portal's wiring of the guest use cases; created once per process like the runtime. */
interface PortalGuests {
  deps: GuestDeps;
  limiter: FailureLimiter;
}

const holder = globalThis as typeof globalThis & { __stadtfunkGuests?: PortalGuests };

export function portalGuests(): PortalGuests {
  if (!holder.__stadtfunkGuests) {
    const rt = portalRuntime();
    holder.__stadtfunkGuests = {
      deps: {
        db: rt.db,
        service: rt.service,
        accounts: createGuestAccounts(rt.config),
        tokens: rt.tokens,
        config: guestConfigFrom(rt.config),
        log: rt.log,
        now: () => new Date(),
      },
      limiter: createFailureLimiter({ ...GUEST_FAILURE_LIMIT, now: () => Date.now() }),
    };
  }
  return holder.__stadtfunkGuests;
}

/** The raw guest session id from this request's cookie (never logged). */
export async function guestSessionIdFromCookie(): Promise<string | null> {
  const name = guestCookieName(portalRuntime().config.portal.url);
  return (await cookies()).get(name)?.value ?? null;
}

/** The guest behind this request's cookie, checked against the database. */
export async function currentGuestSession(): Promise<GuestSession | null> {
  const { deps } = portalGuests();
  return findGuestSession(deps.db, await guestSessionIdFromCookie(), deps.now());
}
