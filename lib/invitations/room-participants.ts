import { desc, eq, inArray } from "drizzle-orm";
import { people } from "../../drizzle/schema";
import { invitationDeclines, meetingCalendars } from "../../drizzle/tables/invitations";
import type { AppConfig } from "../config/load";
import type { Db } from "../db/client";
import type { StateEvent } from "../matrix/service-client";
import { MEETING_EVENT_TYPE } from "../rooms/room-state";

export interface Participant {
  userId: string;
  name: string;
  membership: string;
  isOrganiser: boolean;
}

/** Invited and joined people of a room as the homeserver lists them, named from the directory; service accounts left out. */
export async function participantsOf(db: Db, state: StateEvent[], config: Pick<AppConfig, "appservice" | "matrix">): Promise<Participant[]> {
  const servicePrefix = `@${config.appservice.userPrefix}`;
  const organiser = state.find((e) => e.type === MEETING_EVENT_TYPE && e.state_key === "")?.content.organiser;
  const members = state.filter(
    (e) =>
      e.type === "m.room.member" &&
      (e.content.membership === "join" || e.content.membership === "invite") &&
      !(e.state_key.startsWith(servicePrefix) && e.state_key.endsWith(`:${config.matrix.serverName}`)),
  );
  const ids = members.map((m) => m.state_key);
  const known = ids.length ? await db.select({ matrixUserId: people.matrixUserId, displayName: people.displayName }).from(people).where(inArray(people.matrixUserId, ids)) : [];
  return members
    .map((m) => ({
      userId: m.state_key,
      name: known.find((k) => k.matrixUserId === m.state_key)?.displayName ?? (typeof m.content.displayname === "string" ? m.content.displayname : m.state_key),
      membership: String(m.content.membership),
      isOrganiser: m.state_key === organiser,
    }))
    .sort((a, b) => a.name.localeCompare(b.name, "de"));
}

/** Who declined an invitation to this room, newest first, for the organiser's view. */
export async function declinesOf(db: Db, roomRowId: string): Promise<{ eventId: string; userId: string; name: string; declinedAt: Date }[]> {
  const rows = await db
    .select({ eventId: invitationDeclines.eventId, userId: invitationDeclines.userId, declinedAt: invitationDeclines.declinedAt, displayName: people.displayName })
    .from(invitationDeclines)
    .leftJoin(people, eq(people.matrixUserId, invitationDeclines.userId))
    .where(eq(invitationDeclines.roomId, roomRowId))
    .orderBy(desc(invitationDeclines.declinedAt))
    .limit(100);
  return rows.map((r) => ({ eventId: r.eventId, userId: r.userId, name: r.displayName ?? r.userId, declinedAt: r.declinedAt }));
}

/** When the meeting was called off, or null. */
export async function meetingCancelledAt(db: Db, roomRowId: string): Promise<Date | null> {
  const [row] = await db.select({ cancelledAt: meetingCalendars.cancelledAt }).from(meetingCalendars).where(eq(meetingCalendars.roomId, roomRowId));
  return row?.cancelledAt ?? null;
}
