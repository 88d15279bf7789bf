import { eq } from "drizzle-orm";
import { rooms } from "../../drizzle/schema";
import { roomPartners } from "../../drizzle/tables/partners";
import type { Db } from "../db/client";

export interface AnnounceDeps {
  db: Db;
  /** The service's bot: PUT /send with our transaction id, so a repeat posts nothing twice. */
  client: { sendEvent(roomId: string, eventType: string, txnId: string, content: Record<string, unknown>): Promise<string> };
}

export const ROOM_CLOSED_TEXT =
  "Dieser Raum wird von der Stadt geschlossen und auf dem Server der Stadt gelöscht. " +
  "Kopien auf den Servern von Partnerorganisationen löscht die Stadt nicht; dafür ist die jeweilige Organisation verantwortlich. " +
  "/ This room is being closed and deleted on the city's server. Copies on partner organisations' servers are not deleted by the city.";

/**
 * Call before deleting a managed room locally: deletion only reaches our own
 * server, so partner organisations opened to the room are told it is closed
 * (their servers keep their copy). Rooms never opened to a partner get no
 * message. Returns the notice's event id, or null when none was due.
 */
export async function announceRoomClosed(roomId: string, deps: AnnounceDeps): Promise<string | null> {
  const [row] = await deps.db
    .select({ partnerId: roomPartners.partnerId })
    .from(roomPartners)
    .innerJoin(rooms, eq(rooms.id, roomPartners.roomId))
    .where(eq(rooms.matrixRoomId, roomId))
    .limit(1);
  if (!row) return null;
  return deps.client.sendEvent(roomId, "m.room.message", `room-closed:${roomId}`, {
    msgtype: "m.notice",
    body: ROOM_CLOSED_TEXT,
    "de.stadtfunk.room_closed": true,
  });
}
