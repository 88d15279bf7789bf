import { eq } from "drizzle-orm";
import { people } from "../../drizzle/schema";
import { meetingCalendars } from "../../drizzle/tables/invitations";
import type { Db } from "../../lib/db/client";
import { meetingMails } from "../../lib/invitations/job-mails";
import type { Logger } from "../../lib/log";
import { queueInvitationMails } from "../../lib/mail/mail-outbox";
import { findRoomByMatrixId } from "../../lib/rooms/room-list";
import type { RoomEventBase } from "../shared/event-filters";

/**
 * Mail for every invitation into a managed meeting, whoever sent it: the
 * edit page, `!einladen` in Element, or a delivery at someone's first
 * sign-in. The mail's key (meeting, person, current sequence) is the one the
 * edit page's job and the creation mail use, so an invitation they already
 * mailed is not mailed again.
 */
export async function queueMailForInvite(
  deps: { db: Db; site: { portalUrl: string; serverName: string; cityName: string }; logger: Logger; now: Date },
  event: RoomEventBase & { state_key?: unknown },
): Promise<number> {
  if (event.type !== "m.room.member" || event.content.membership !== "invite" || typeof event.state_key !== "string") return 0;
  const room = await findRoomByMatrixId(deps.db, event.room_id);
  // A room still being created has no row yet: its first mails come from queueCreationMails.
  if (!room || room.kind !== "meeting") return 0;
  const [calendar] = await deps.db.select().from(meetingCalendars).where(eq(meetingCalendars.roomId, room.id));
  if (calendar?.cancelledAt) return 0;
  const [invitee] = await deps.db.select().from(people).where(eq(people.matrixUserId, event.state_key));
  const [organiser] = await deps.db.select().from(people).where(eq(people.id, room.organiserId));
  if (!invitee || !organiser || invitee.id === organiser.id) return 0;
  const mails = meetingMails({ room, organiser, sequence: calendar?.sequence ?? 0, ...deps.site, now: deps.now }, "invited", [invitee]);
  return queueInvitationMails(deps.db, mails);
}
