import { AppError } from "../errors";
import type { RoomPartner } from "./room-partners";
import { aclHost, serverOfUserId } from "./server-names";

const USER_ID = /^@[a-z0-9._=\-/+]+:[a-z0-9.-]+(?::\d{1,5})?$/;

/**
 * Whether a partner user may be invited to this room: a well-formed Matrix
 * id whose server belongs to an approved partner opened in this room.
 * Decided before any homeserver call; throws a field error otherwise.
 */
export function checkPartnerInvitee(raw: string, roomPartners: readonly RoomPartner[]): { userId: string; partner: RoomPartner } {
  const userId = raw.trim();
  if (userId.length > 255 || !USER_ID.test(userId)) {
    throw new AppError("invitee-malformed", "invalid", "Bitte eine Matrix-ID wie @name:server.example angeben.", {
      userId: "Bitte eine Matrix-ID wie @name:server.example angeben.",
    });
  }
  const host = aclHost(serverOfUserId(userId)!);
  const partner = roomPartners.find((p) => p.serverNames.some((s) => aclHost(s) === host));
  if (!partner) {
    throw new AppError("invitee-not-partner", "forbidden", "Dieser Server gehört zu keinem Partner, für den der Raum geöffnet ist.", {
      userId: "Dieser Server gehört zu keinem Partner, für den der Raum geöffnet ist.",
    });
  }
  return { userId, partner };
}
