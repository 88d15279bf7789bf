import type { Person, Room } from "../../drizzle/schema";
import { invitationIcs } from "../calendar/invitation-ics";
import { invitationMailText, type InvitationMailKind } from "../mail/invitation-mail";
import type { NewInvitationMail } from "../mail/mail-outbox";

export interface MeetingMailContext {
  room: Pick<Room, "id" | "kind" | "name" | "topic" | "startsAt" | "endsAt" | "matrixRoomId">;
  organiser: Pick<Person, "displayName" | "email">;
  sequence: number;
  portalUrl: string;
  serverName: string;
  cityName: string;
  now: Date;
}

/** The same UID as the room page's .ics download, so both land on one calendar entry. */
export function meetingUid(roomRowId: string, serverName: string): string {
  return `${roomRowId}@${serverName}`;
}

export function roomPageUrl(portalUrl: string, matrixRoomId: string): string {
  return `${portalUrl}/rooms/${encodeURIComponent(matrixRoomId)}`;
}

/**
 * One mail per recipient with an e-mail address; meetings only (rooms
 * without a time have nothing for a calendar). REQUEST for invited and
 * updated, CANCEL for cancelled and removed.
 */
export function meetingMails(ctx: MeetingMailContext, kind: InvitationMailKind, recipients: Pick<Person, "id" | "displayName" | "email">[]): NewInvitationMail[] {
  const { room } = ctx;
  if (room.kind !== "meeting" || !room.startsAt || !room.endsAt || !room.matrixRoomId) return [];
  const method = kind === "cancelled" || kind === "removed" ? "CANCEL" : "REQUEST";
  const roomUrl = roomPageUrl(ctx.portalUrl, room.matrixRoomId);
  return recipients
    .filter((p): p is typeof p & { email: string } => Boolean(p.email))
    .map((p) => {
      const text = invitationMailText({
        kind,
        recipientName: p.displayName,
        organiserName: ctx.organiser.displayName,
        meetingName: room.name,
        topic: room.topic,
        startsAt: room.startsAt!,
        endsAt: room.endsAt!,
        roomUrl,
        cityName: ctx.cityName,
      });
      return {
        roomId: room.id,
        personId: p.id,
        sequence: ctx.sequence,
        method,
        recipient: p.email,
        subject: text.subject,
        body: text.text,
        ics: invitationIcs({
          uid: meetingUid(room.id, ctx.serverName),
          sequence: ctx.sequence,
          method,
          name: room.name,
          topic: room.topic,
          startsAt: room.startsAt!,
          endsAt: room.endsAt!,
          roomUrl,
          organiser: { name: ctx.organiser.displayName, email: ctx.organiser.email },
          attendee: { name: p.displayName, email: p.email },
          cityName: ctx.cityName,
          stamp: ctx.now,
        }),
      } satisfies NewInvitationMail;
    });
}
