import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { pendingInvitations, rooms, type Person } from "../../drizzle/schema";
import type { Db } from "../db/client";
import type { Logger } from "../log";
import type { ServiceClient } from "../matrix/service-client";

/**
 * Delivers invitations that waited for a person's first sign-in (invited by
 * login name or e-mail before they had a Matrix account). Each one is marked
 * delivered only after the homeserver accepted the invite, so a failure is
 * retried at the next sign-in.
 */
export async function deliverPendingInvitations(
  deps: { db: Db; service: ServiceClient; log: Logger },
  person: Person,
  matrixUserId: string,
): Promise<number> {
  const keys = [person.username, person.email].filter((k): k is string => Boolean(k)).map((k) => k.toLowerCase());
  if (keys.length === 0) return 0;
  const waiting = await deps.db
    .select({ id: pendingInvitations.id, roomRowId: rooms.id, matrixRoomId: rooms.matrixRoomId })
    .from(pendingInvitations)
    .innerJoin(rooms, eq(rooms.id, pendingInvitations.roomId))
    .where(and(inArray(pendingInvitations.invitee, keys), isNull(pendingInvitations.deliveredAt), eq(rooms.status, "active")));
  let delivered = 0;
  for (const w of waiting) {
    if (!w.matrixRoomId) continue;
    try {
      await deps.service.invite(w.matrixRoomId, matrixUserId);
    } catch (err) {
      deps.log.warn({ roomId: w.matrixRoomId, err: (err as Error).message }, "pending invitation not delivered");
      continue;
    }
    await deps.db.update(pendingInvitations).set({ deliveredAt: new Date() }).where(eq(pendingInvitations.id, w.id));
    await deps.db
      .update(rooms)
      .set({ invitedUserIds: sql`${rooms.invitedUserIds} || ${JSON.stringify([matrixUserId])}::jsonb` })
      .where(eq(rooms.id, w.roomRowId));
    delivered++;
  }
  if (delivered > 0) deps.log.info({ delivered }, "pending invitations delivered");
  return delivered;
}
