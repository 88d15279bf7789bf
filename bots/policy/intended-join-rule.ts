import { eq } from "drizzle-orm";
import { directorySpaces } from "../../drizzle/tables/directory-spaces";
import type { Db } from "../../lib/db/client";
import { CITY_SPACE_KEY, departmentSpaceKey } from "../../lib/rooms/directory-spaces";
import { INVITE_ONLY, joinRuleFor, type JoinRuleContent } from "../../lib/rooms/join-rule";
import { findRoomByMatrixId } from "../../lib/rooms/room-list";

/**
 * The join rule a managed room was created with, read from the rooms table:
 * rooms opened to a department or the city keep their restricted rule over
 * that directory space; everything else (and a room whose space is unknown)
 * is held invitation-only — never more open than the portal made it.
 */
export async function intendedJoinRuleOf(db: Db, roomId: string): Promise<JoinRuleContent> {
  const room = await findRoomByMatrixId(db, roomId);
  if (!room || room.access === "invited") return INVITE_ONLY;
  const key = room.access === "city" ? CITY_SPACE_KEY : room.department ? departmentSpaceKey(room.department) : null;
  if (!key) return INVITE_ONLY;
  const [space] = await db.select().from(directorySpaces).where(eq(directorySpaces.key, key));
  return space?.matrixRoomId ? joinRuleFor(room.access, space.matrixRoomId) : INVITE_ONLY;
}
