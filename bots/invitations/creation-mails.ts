import { and, eq, gt, inArray, isNotNull, notExists, sql } from "drizzle-orm";
import { people, rooms } from "../../drizzle/schema";
import { meetingCalendars } from "../../drizzle/tables/invitations";
import type { Db } from "../../lib/db/client";
import { meetingMails } from "../../lib/invitations/job-mails";
import type { Logger } from "../../lib/log";
import { queueInvitationMails } from "../../lib/mail/mail-outbox";

/** Meetings created longer ago than this get no first mail (e.g. when the feature is switched on later). */
export const CREATION_MAIL_WINDOW_MS = 24 * 60 * 60_000;

/**
 * The first invitation mail (SEQUENCE 0) for people invited when a meeting
 * was created. Room creation stays one homeserver call and knows nothing of
 * mail: this looks for new meetings without a calendar row. Claiming the
 * row (insert … on conflict do nothing) and queueing its mails happen in one
 * transaction, so each meeting's first mails are queued exactly once.
 */
export async function queueCreationMails(
  deps: { db: Db; site: { portalUrl: string; serverName: string; cityName: string }; logger: Logger },
  now: Date,
): Promise<number> {
  const fresh = await deps.db
    .select()
    .from(rooms)
    .where(
      and(
        eq(rooms.kind, "meeting"),
        eq(rooms.status, "active"),
        isNotNull(rooms.matrixRoomId),
        gt(rooms.createdAt, new Date(now.getTime() - CREATION_MAIL_WINDOW_MS)),
        gt(rooms.endsAt, now),
        notExists(deps.db.select({ one: sql`1` }).from(meetingCalendars).where(eq(meetingCalendars.roomId, rooms.id))),
      ),
    )
    .limit(100);
  let queued = 0;
  for (const room of fresh) {
    queued += await deps.db.transaction(async (tx) => {
      const [claimed] = await tx.insert(meetingCalendars).values({ roomId: room.id, sequence: 0 }).onConflictDoNothing().returning();
      if (!claimed) return 0;
      const [organiser] = await tx.select().from(people).where(eq(people.id, room.organiserId));
      const invitees = room.invitedUserIds.filter((u) => u !== organiser?.matrixUserId);
      if (!organiser || invitees.length === 0) return 0;
      const recipients = await tx.select().from(people).where(inArray(people.matrixUserId, invitees));
      return queueInvitationMails(tx as unknown as Db, meetingMails({ room, organiser, sequence: 0, ...deps.site, now }, "invited", recipients));
    });
  }
  if (queued > 0) deps.logger.info({ queued }, "invitation mails for new meetings queued");
  return queued;
}
