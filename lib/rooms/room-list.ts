import { and, desc, eq, or, sql } from "drizzle-orm";
import { rooms, type Person, type Room } from "../../drizzle/schema";
import type { Db } from "../db/client";
import { containsPattern } from "../people/directory";

/**
 * The rooms to list on a person's dashboard: what they organise or were
 * invited to (a listing cache; opening a room checks the homeserver).
 */
export async function listRoomsFor(db: Db, person: Person, opts: { search?: string; limit?: number } = {}): Promise<Room[]> {
  const mine = person.matrixUserId
    ? or(eq(rooms.organiserId, person.id), sql`${rooms.invitedUserIds} @> ${JSON.stringify([person.matrixUserId])}::jsonb`)
    : eq(rooms.organiserId, person.id);
  const search = opts.search?.trim();
  return db
    .select()
    .from(rooms)
    .where(
      and(
        eq(rooms.status, "active"),
        mine,
        search ? sql`${rooms.name} ilike ${containsPattern(search)}` : undefined,
      ),
    )
    .orderBy(sql`${rooms.startsAt} asc nulls last`, desc(rooms.createdAt))
    .limit(opts.limit ?? 100);
}

export function findRoomByMatrixId(db: Db, matrixRoomId: string): Promise<Room | undefined> {
  return db.query.rooms.findFirst({ where: and(eq(rooms.matrixRoomId, matrixRoomId), eq(rooms.status, "active")) });
}
