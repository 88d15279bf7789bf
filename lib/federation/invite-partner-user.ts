import { auditLog } from "../../drizzle/schema";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import type { ServiceClient } from "../matrix/service-client";
import { readRoomAccess } from "../rooms/room-access";
import { checkPartnerInvitee } from "./partner-invite";
import { approvedPartnersOfRoom } from "./room-partners";

export interface InvitePartnerDeps {
  db: Db;
  service: Pick<ServiceClient, "getState" | "invite">;
  /** The invitee's profile as our homeserver fetches it over federation; null when the partner's server does not know them. */
  lookupProfile: (userId: string) => Promise<{ displayname?: string } | null>;
}

/**
 * A room moderator invites a partner organisation's user by Matrix id. The
 * id is checked against the room's approved partners first, from the
 * database only: an id on any other server is refused before the
 * homeserver hears of it. Then the inviter's power is read from the room,
 * the display name looked up over federation, and the service's bot invites.
 */
export async function invitePartnerUser(
  deps: InvitePartnerDeps,
  input: { matrixRoomId: string; inviterUserId: string | null; invitee: string },
): Promise<{ userId: string; displayName: string; organisation: string }> {
  const { userId, partner } = checkPartnerInvitee(input.invitee, await approvedPartnersOfRoom(deps.db, input.matrixRoomId));
  if (!input.inviterUserId) throw new AppError("no-matrix-account", "forbidden", "Kein Zugriff auf diesen Raum.");
  const access = await readRoomAccess(deps.service, input.matrixRoomId, input.inviterUserId);
  if (access.membership !== "join" || !access.isModerator) {
    throw new AppError("not-moderator", "forbidden", "Nur Moderierende dieses Raums können Partner einladen.");
  }
  const profile = await deps.lookupProfile(userId).catch(() => null);
  if (!profile) {
    throw new AppError("invitee-unknown", "not-found", "Diese Person ist auf dem Server des Partners nicht bekannt.", {
      userId: "Diese Person ist auf dem Server des Partners nicht bekannt.",
    });
  }
  await deps.service.invite(input.matrixRoomId, userId);
  await deps.db.insert(auditLog).values({
    actor: input.inviterUserId,
    action: "federation.partner-user-invited",
    subject: input.matrixRoomId,
    details: { invitee: userId, partnerId: partner.partnerId },
  });
  return { userId, displayName: profile.displayname || userId, organisation: partner.name };
}
