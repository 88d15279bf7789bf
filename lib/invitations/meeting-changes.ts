import { and, eq, inArray, sql } from "drizzle-orm";
import { pendingInvitations, people, rooms, type Person, type Room } from "../../drizzle/schema";
import { invitationJobs, meetingCalendars, type InvitationJob, type InvitationJobPayload } from "../../drizzle/tables/invitations";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { levelValue, powerLevelOf, roomPowerState } from "../matrix/power-levels";
import type { ServiceClient } from "../matrix/service-client";
import { readRoomAccess, type RoomAccess } from "../rooms/room-access";
import { findRoomByMatrixId } from "../rooms/room-list";
import { MEETING_EVENT_TYPE } from "../rooms/room-state";
import { fieldErrors } from "../field-errors";
import { meetingChangeInput, meetingTimes, type MeetingChange, type MeetingChangeInput } from "./meeting-change-input";

/**
 * Later changes to a managed room by its organiser or room admins. The
 * portal decides and records; the invitations bot acts on the homeserver.
 *
 * Why a job table rather than calling the homeserver from the request: one
 * change is several homeserver calls (invites or kicks, state events, a
 * notice) plus mails. Written in the same database transaction as the new
 * room details, the job cannot get lost when the portal or the homeserver
 * fails halfway; the bot completes it, in order per room, with retries, and
 * each step is idempotent.
 */

export interface MeetingChangeDeps {
  db: Db;
  service: Pick<ServiceClient, "getState">;
}

export interface Actor {
  person: Person;
  matrixUserId: string | null;
}

/** The power a person needs to change the meeting: what the room asks for its meeting state event. */
export function meetingChangeLevel(access: Pick<RoomAccess, "state">): number {
  const levels = access.state.find((e) => e.type === "m.room.power_levels" && e.state_key === "")?.content ?? {};
  const events = (levels.events ?? {}) as Record<string, unknown>;
  return levelValue(events[MEETING_EVENT_TYPE]) ?? levelValue(levels.state_default) ?? 50;
}

export function canChangeMeeting(access: RoomAccess): boolean {
  return access.membership === "join" && access.powerLevel >= meetingChangeLevel(access);
}

/**
 * Whether the room page offers "Raum bearbeiten". The service invites the
 * organiser and opening the room page joins them, so right after creating a
 * meeting the page is rendered while they are still invited: the link is
 * shown to an invitee with the level too. The edit page itself still
 * requires the join (canChangeMeeting).
 */
export function mayOfferMeetingChange(access: RoomAccess): boolean {
  return (access.membership === "join" || access.membership === "invite") && access.powerLevel >= meetingChangeLevel(access);
}

export function membershipIn(access: Pick<RoomAccess, "state">, userId: string): string | null {
  const member = access.state.find((e) => e.type === "m.room.member" && e.state_key === userId);
  return typeof member?.content.membership === "string" ? member.content.membership : null;
}

export interface MeetingEditContext {
  room: Room;
  access: RoomAccess;
  calendar: { sequence: number; cancelledAt: Date | null };
}

/** The room, the actor's access read from the homeserver, and the calendar state; 403 unless they may change it. */
export async function loadMeetingForEdit(deps: MeetingChangeDeps, actor: Actor, matrixRoomId: string): Promise<MeetingEditContext> {
  const room = await findRoomByMatrixId(deps.db, matrixRoomId);
  if (!room) throw new AppError("room-not-found", "not-found", "Diesen Raum gibt es nicht.");
  if (!actor.matrixUserId) throw new AppError("no-matrix-account", "forbidden", "Kein Zugriff auf diesen Raum.");
  const access = await readRoomAccess(deps.service, matrixRoomId, actor.matrixUserId);
  if (!canChangeMeeting(access)) {
    throw new AppError("not-room-admin", "forbidden", "Nur die Organisatorin oder der Organisator und Raum-Admins können diesen Raum ändern.");
  }
  const [calendar] = await deps.db.select().from(meetingCalendars).where(eq(meetingCalendars.roomId, room.id));
  return { room, access, calendar: { sequence: calendar?.sequence ?? 0, cancelledAt: calendar?.cancelledAt ?? null } };
}

interface PlannedJob {
  payload: InvitationJobPayload;
  roomUpdate?: Partial<Pick<Room, "name" | "topic" | "startsAt" | "endsAt">>;
  pendingLogins?: string[];
}

async function planAdd(db: Db, ctx: MeetingEditContext, actor: Actor, participantIds: string[], inviteLogins: string[]): Promise<PlannedJob> {
  const found = participantIds.length ? await db.select().from(people).where(inArray(people.id, participantIds)) : [];
  if (found.length !== new Set(participantIds).size || found.some((p) => p.disabledAt)) {
    throw new AppError("unknown-participant", "invalid", "Unbekannte Teilnehmende.", {
      participantIds: "Mindestens eine ausgewählte Person ist nicht (mehr) bekannt.",
    });
  }
  const others = found.filter((p) => p.id !== actor.person.id);
  const userIds = others
    .map((p) => p.matrixUserId)
    .filter((id): id is string => Boolean(id))
    .filter((id) => !["join", "invite"].includes(membershipIn(ctx.access, id) ?? ""));
  // People who never signed in are invited at their first sign-in, as at creation.
  const pendingLogins = [
    ...others.filter((p) => !p.matrixUserId && p.username).map((p) => p.username!.toLowerCase()),
    ...inviteLogins,
  ];
  if (userIds.length === 0 && pendingLogins.length === 0) {
    throw new AppError("nothing-to-do", "invalid", "Die ausgewählten Personen sind bereits eingeladen.", {
      participantIds: "Bereits eingeladen oder im Raum.",
    });
  }
  return { payload: { userIds }, pendingLogins };
}

function planRemove(ctx: MeetingEditContext, actor: Actor, userIds: string[]): PlannedJob {
  const organiser = ctx.access.state.find((e) => e.type === MEETING_EVENT_TYPE && e.state_key === "")?.content.organiser;
  for (const userId of userIds) {
    if (userId === actor.matrixUserId || userId === organiser) {
      throw new AppError("cannot-remove", "invalid", "Die Organisatorin oder der Organisator und Sie selbst können nicht ausgeladen werden.", {
        userIds: "Diese Person kann nicht ausgeladen werden.",
      });
    }
    // The bot kicks as the room's creator; it must not let an admin remove someone the homeserver would not let them kick.
    if (powerLevelOf(roomPowerState(ctx.access.state), userId) >= ctx.access.powerLevel) {
      throw new AppError("cannot-remove", "forbidden", "Personen mit gleichen oder höheren Rechten können Sie nicht ausladen.", {
        userIds: "Diese Person hat gleiche oder höhere Rechte.",
      });
    }
    if (!["join", "invite"].includes(membershipIn(ctx.access, userId) ?? "")) {
      throw new AppError("not-a-participant", "invalid", "Diese Person ist nicht (mehr) eingeladen.", { userIds: "Nicht (mehr) eingeladen." });
    }
  }
  return { payload: { userIds } };
}

function planDetails(ctx: MeetingEditContext, input: Extract<MeetingChange, { kind: "details" }>): PlannedJob {
  const { room } = ctx;
  let startsAt = room.startsAt;
  let endsAt = room.endsAt;
  if (room.kind === "meeting") {
    const times = meetingTimes(input);
    if (!times.ok) throw new AppError("invalid-times", "invalid", "Bitte prüfen Sie die markierten Felder.", times.fieldErrors);
    ({ startsAt, endsAt } = times);
  }
  const snapshot = (r: { name: string; topic: string; startsAt: Date | null; endsAt: Date | null }) => ({
    name: r.name,
    topic: r.topic,
    startsAt: r.startsAt?.toISOString() ?? null,
    endsAt: r.endsAt?.toISOString() ?? null,
  });
  const after = { name: input.name, topic: input.topic, startsAt, endsAt };
  const before = snapshot(room);
  if (JSON.stringify(before) === JSON.stringify(snapshot(after))) {
    throw new AppError("nothing-to-do", "invalid", "Es wurde nichts geändert.");
  }
  return { payload: { before, after: snapshot(after) }, roomUpdate: after };
}

/**
 * Records one change: the room's details, the meeting's next calendar
 * sequence and the bot's job, in one transaction. Returns the job.
 */
export async function requestMeetingChange(
  deps: MeetingChangeDeps,
  actor: Actor,
  matrixRoomId: string,
  raw: MeetingChangeInput,
): Promise<InvitationJob> {
  const parsed = meetingChangeInput.safeParse(raw);
  if (!parsed.success) throw new AppError("invalid-change", "invalid", "Bitte prüfen Sie die markierten Felder.", fieldErrors(parsed.error));
  const input = parsed.data;
  const ctx = await loadMeetingForEdit(deps, actor, matrixRoomId);
  if (ctx.calendar.cancelledAt) throw new AppError("meeting-cancelled", "conflict", "Diese Besprechung ist abgesagt und kann nicht mehr geändert werden.");
  if (input.kind === "cancel" && ctx.room.kind !== "meeting") {
    throw new AppError("not-a-meeting", "invalid", "Nur Besprechungen können abgesagt werden.");
  }
  const plan =
    input.kind === "add"
      ? await planAdd(deps.db, ctx, actor, input.participantIds, input.inviteLogins)
      : input.kind === "remove"
        ? planRemove(ctx, actor, input.userIds)
        : input.kind === "details"
          ? planDetails(ctx, input)
          : { payload: {} };

  return deps.db.transaction(async (tx) => {
    if (plan.roomUpdate) await tx.update(rooms).set({ ...plan.roomUpdate, updatedAt: new Date() }).where(eq(rooms.id, ctx.room.id));
    if (plan.pendingLogins?.length) {
      await tx
        .insert(pendingInvitations)
        .values(plan.pendingLogins.map((invitee) => ({ roomId: ctx.room.id, invitee, invitedBy: actor.person.id })))
        .onConflictDoNothing();
    }
    const cancelledAt = input.kind === "cancel" ? new Date() : null;
    // Every change gets its own SEQUENCE, so each (meeting, person, sequence) mail is unique.
    const [calendar] = await tx
      .insert(meetingCalendars)
      .values({ roomId: ctx.room.id, sequence: 1, cancelledAt })
      .onConflictDoUpdate({
        target: meetingCalendars.roomId,
        set: { sequence: sql`${meetingCalendars.sequence} + 1`, cancelledAt: sql`coalesce(${meetingCalendars.cancelledAt}, ${cancelledAt})`, updatedAt: new Date() },
        where: sql`${meetingCalendars.cancelledAt} is null`,
      })
      .returning();
    if (!calendar) throw new AppError("meeting-cancelled", "conflict", "Diese Besprechung ist abgesagt und kann nicht mehr geändert werden.");
    const [job] = await tx
      .insert(invitationJobs)
      .values({ roomId: ctx.room.id, kind: input.kind, payload: plan.payload, sequence: calendar.sequence, requestedBy: actor.person.id })
      .returning();
    return job!;
  });
}

/** Open and recent jobs of a room, for the edit page ("wird ausgeführt"). */
export async function openJobsOf(db: Db, roomRowId: string): Promise<InvitationJob[]> {
  return db
    .select()
    .from(invitationJobs)
    .where(and(eq(invitationJobs.roomId, roomRowId), sql`${invitationJobs.doneAt} is null`));
}
