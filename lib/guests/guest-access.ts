import { AppError } from "../errors";
import { mintJwtModeToken } from "../jitsi/jwt-mode-token";
import type { GuestDeps } from "./guest-deps";
import { guestDisplayName } from "./guest-names";
import type { GuestSession } from "./guest-sessions";

const noAccess = () => new AppError("guest-no-access", "forbidden", "Kein gültiger Gastzugang.");

/** Admitted, set up, and still a member on the homeserver (a kick there counts at once). */
async function requireJoinedGuest(deps: GuestDeps, session: GuestSession | null): Promise<GuestSession> {
  if (!session || session.guest.status !== "admitted" || !session.guest.joinedAt) throw noAccess();
  const member = await deps.service.getStateEvent(session.room.matrixRoomId, "m.room.member", session.guest.matrixUserId);
  if (member?.membership !== "join") throw noAccess();
  return session;
}

/**
 * The guest browser's own Matrix credentials, for the chat component. The
 * token belongs to an account in the guest namespace, which the homeserver
 * module confines to this one room.
 */
export function guestMatrixCredentials(deps: Pick<GuestDeps, "tokens">, homeserverUrl: string, session: GuestSession | null) {
  const g = session?.guest;
  if (!session || !g || g.status !== "admitted" || !g.joinedAt || !g.matrixAccessTokenEnc || !g.matrixDeviceId) return null;
  return {
    homeserverUrl,
    userId: g.matrixUserId,
    deviceId: g.matrixDeviceId,
    accessToken: deps.tokens.decrypt(g.matrixAccessTokenEnc),
    roomId: session.room.matrixRoomId,
  };
}

export type GuestConference =
  | { mode: "jwt"; domain: string; conferenceId: string; token: string }
  | { mode: "matrix" | "none"; domain: string; conferenceId: string; token: null };

/**
 * What the guest's call needs. In `jwt` mode a short-lived token for this
 * one conference with role "guest": no moderator or affiliation claim. In
 * `matrix` mode the guest's own Matrix account proves membership to the
 * verifier (power level 0, so never an owner).
 */
export async function guestConference(deps: GuestDeps, session: GuestSession | null): Promise<GuestConference> {
  const s = await requireJoinedGuest(deps, session);
  const { jitsi } = deps.config;
  const conferenceId = s.room.conferenceId;
  if (jitsi.authMode !== "jwt") return { mode: jitsi.authMode, domain: jitsi.domain, conferenceId, token: null };
  const token = await mintJwtModeToken({
    jitsi,
    conferenceId,
    user: { id: s.guest.matrixUserId, name: guestDisplayName(s.guest.displayName), role: "guest" },
    now: deps.now,
  });
  return { mode: "jwt", domain: jitsi.domain, conferenceId, token };
}
