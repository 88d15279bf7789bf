import type { Room } from "../../drizzle/schema";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import type { ServiceClient } from "../matrix/service-client";
import { readRoomAccess, type RoomAccess } from "../rooms/room-access";
import { findRoomByMatrixId } from "../rooms/room-list";

/**
 * A managed room and proof that the person moderates it, read from the
 * homeserver's power levels at the moment of asking (never from the
 * portal's database). Everyone else gets the same 403.
 */
export async function requireRoomModerator(
  deps: { db: Db; service: Pick<ServiceClient, "getState"> },
  matrixRoomId: string,
  userId: string | null,
): Promise<{ room: Room; access: RoomAccess }> {
  const denied = () => new AppError("not-a-moderator", "forbidden", "Nur die Moderation dieses Raums darf Gastzugänge verwalten.");
  if (!userId) throw denied();
  const room = await findRoomByMatrixId(deps.db, matrixRoomId);
  if (!room) throw new AppError("room-not-found", "not-found", "Diesen Raum gibt es nicht.");
  const access = await readRoomAccess(deps.service, matrixRoomId, userId);
  // Invited counts like for opening the room: an organiser who has not accepted yet still manages it.
  // A moderator who left keeps their power-level entry, so membership is checked too.
  if ((access.membership !== "join" && access.membership !== "invite") || !access.isModerator) throw denied();
  return { room, access };
}
