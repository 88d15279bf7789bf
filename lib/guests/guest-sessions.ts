import { and, eq, gt, inArray, isNull } from "drizzle-orm";
import { guestLinks, guests, rooms, type Guest, type GuestLink, type Room } from "../../drizzle/schema";
import type { Db } from "../db/client";
import { hashGuestSessionId, isWellFormedSessionId } from "./guest-session";

/** A guest's valid session: the guest, the link they came by and the one room it opens. */
export interface GuestSession {
  guest: Guest;
  link: GuestLink;
  room: Room & { matrixRoomId: string };
}

/**
 * The guest behind a session cookie, or null when the session no longer
 * opens anything: unknown id, guest removed, rejected or expired, link
 * revoked, room gone. A used-up link does not end a session.
 */
export async function findGuestSession(db: Db, rawSessionId: string | null | undefined, now: Date): Promise<GuestSession | null> {
  if (!isWellFormedSessionId(rawSessionId)) return null;
  const [row] = await db
    .select({ guest: guests, link: guestLinks, room: rooms })
    .from(guests)
    .innerJoin(guestLinks, eq(guestLinks.id, guests.linkId))
    .innerJoin(rooms, eq(rooms.id, guestLinks.roomId))
    .where(
      and(
        eq(guests.sessionHash, hashGuestSessionId(rawSessionId)),
        isNull(guests.removedAt),
        inArray(guests.status, ["waiting", "admitted"]),
        gt(guests.expiresAt, now),
        isNull(guestLinks.revokedAt),
        eq(rooms.status, "active"),
      ),
    )
    .limit(1);
  if (!row || !row.room.matrixRoomId) return null;
  return { guest: row.guest, link: row.link, room: { ...row.room, matrixRoomId: row.room.matrixRoomId } };
}
