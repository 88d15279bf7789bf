import { asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { people, rooms, type Person, type Room } from "../../drizzle/schema";
import { invitationJobs, type InvitationJob } from "../../drizzle/tables/invitations";
import type { Db } from "../../lib/db/client";
import { meetingMails } from "../../lib/invitations/job-mails";
import type { Logger } from "../../lib/log";
import { MatrixApiError } from "../../lib/matrix/client-api";
import type { InvitationMailKind } from "../../lib/mail/invitation-mail";
import { queueInvitationMails } from "../../lib/mail/mail-outbox";
import type { StateEvent } from "../../lib/matrix/service-client";
import { MEETING_EVENT_TYPE } from "../../lib/rooms/room-state";
import type { BotClient } from "../shared/homeserver";
import type { Outbox } from "../shared/outbox";
import type { MessageContent } from "../shared/replies";
import { addedNotice, cancelNotice, detailsNotice, removedNotice } from "./notice-texts";
import type { RoomActions } from "./room-actions";

export interface JobDeps {
  db: Db;
  client: Pick<BotClient, "userId" | "getState" | "invite" | "sendState" | "sendEvent">;
  actions: Pick<RoomActions, "kick">;
  outbox: Outbox;
  /** Mails are queued only when SMTP is configured. */
  mailEnabled: boolean;
  site: { portalUrl: string; serverName: string; cityName: string };
  isServiceUser: (userId: string) => boolean;
  logger: Logger;
  now?: () => Date;
}

const ACTIVE = new Set(["invite", "join"]);

/**
 * A refusal about one person (unknown or deactivated account, banned, no
 * longer in the room) must not hold up the rest of the job nor the room's
 * later jobs: it is logged and skipped. Rate limits and outages throw, and
 * the job is retried.
 */
async function forOnePerson(logger: Logger, what: string, fields: Record<string, unknown>, call: () => Promise<void>): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (err) {
    if (err instanceof MatrixApiError && err.status >= 400 && err.status < 500 && err.status !== 429) {
      logger.warn({ ...fields, status: err.status, errcode: err.errcode }, `${what} refused by the homeserver: skipped`);
      return false;
    }
    throw err;
  }
}

function membershipOf(state: StateEvent[], userId: string): string | null {
  const m = state.find((e) => e.type === "m.room.member" && e.state_key === userId)?.content.membership;
  return typeof m === "string" ? m : null;
}

function stateContent(state: StateEvent[], type: string): Record<string, unknown> | undefined {
  return state.find((e) => e.type === type && e.state_key === "")?.content;
}

/** The outbox key of a job's one room notice: the same job run twice posts it once. */
export const jobNoticeKey = (jobId: string) => `invitation-job:${jobId}`;

async function peopleByMatrixId(db: Db, userIds: string[]): Promise<Person[]> {
  if (userIds.length === 0) return [];
  return db.select().from(people).where(inArray(people.matrixUserId, userIds));
}

/**
 * The dashboard lists rooms by `invited_user_ids`: people added later see the
 * room there too, removed people no longer do. One statement each, so a
 * concurrent first-sign-in delivery (which appends too) is not overwritten.
 */
async function listInvited(db: Db, roomRowId: string, userIds: string[]): Promise<void> {
  if (userIds.length === 0) return;
  await db
    .update(rooms)
    .set({
      invitedUserIds: sql`${rooms.invitedUserIds} || (select coalesce(jsonb_agg(u), '[]'::jsonb) from jsonb_array_elements_text(${JSON.stringify(userIds)}::jsonb) as u where not ${rooms.invitedUserIds} ? u)`,
    })
    .where(eq(rooms.id, roomRowId));
}

async function unlistInvited(db: Db, roomRowId: string, userIds: string[]): Promise<void> {
  if (userIds.length === 0) return;
  await db
    .update(rooms)
    .set({
      invitedUserIds: sql`${rooms.invitedUserIds} - (select coalesce(array_agg(u), '{}'::text[]) from jsonb_array_elements_text(${JSON.stringify(userIds)}::jsonb) as u)`,
    })
    .where(eq(rooms.id, roomRowId));
}

const nameOf = (found: Person[], userId: string) => found.find((p) => p.matrixUserId === userId)?.displayName ?? userId;

/**
 * Carries out one change on the homeserver and queues its mails. Every step
 * can run again without a second effect: invites and kicks only where the
 * membership still needs them, state events with identical content are not
 * stored again, the notice goes through the outbox under the job's key, and
 * mails have a unique (meeting, person, sequence).
 */
export async function processInvitationJob(deps: JobDeps, job: InvitationJob): Promise<void> {
  const room = await deps.db.query.rooms.findFirst({ where: eq(rooms.id, job.roomId) });
  if (!room?.matrixRoomId || room.status !== "active") {
    deps.logger.warn({ jobId: job.id }, "invitation job for a room that is gone: dropped");
    return;
  }
  const roomId = room.matrixRoomId;
  const state = await deps.client.getState(roomId);
  const organiser = await deps.db.query.people.findFirst({ where: eq(people.id, room.organiserId) });
  const participants = () =>
    state
      .filter((e) => e.type === "m.room.member" && ACTIVE.has(String(e.content.membership)))
      .map((e) => e.state_key)
      .filter((u) => !deps.isServiceUser(u) && u !== organiser?.matrixUserId);

  let notice: MessageContent;
  let mailKind: InvitationMailKind;
  let mailTo: string[];
  switch (job.kind) {
    case "add": {
      const userIds: string[] = [];
      for (const userId of job.payload.userIds ?? []) {
        const isDone = ACTIVE.has(membershipOf(state, userId) ?? "") ||
          (await forOnePerson(deps.logger, "invite", { jobId: job.id, userId }, () => deps.client.invite(roomId, userId)));
        if (isDone) userIds.push(userId);
      }
      await listInvited(deps.db, room.id, userIds);
      const found = await peopleByMatrixId(deps.db, userIds);
      notice = addedNotice(userIds.map((u) => nameOf(found, u)));
      [mailKind, mailTo] = ["invited", userIds];
      if (userIds.length === 0) return queueMails(deps, room, organiser, job, mailKind, []);
      break;
    }
    case "remove": {
      const userIds = job.payload.userIds ?? [];
      for (const userId of userIds) {
        if (!ACTIVE.has(membershipOf(state, userId) ?? "")) continue;
        await forOnePerson(deps.logger, "kick", { jobId: job.id, userId }, () => deps.actions.kick(roomId, userId, "Von der Besprechung ausgeladen"));
      }
      await unlistInvited(deps.db, room.id, userIds);
      const found = await peopleByMatrixId(deps.db, userIds);
      notice = removedNotice(userIds.map((u) => nameOf(found, u)));
      [mailKind, mailTo] = ["removed", userIds];
      break;
    }
    case "details": {
      const after = job.payload.after;
      if (after) {
        const meeting = stateContent(state, MEETING_EVENT_TYPE) ?? {};
        await deps.client.sendState(roomId, MEETING_EVENT_TYPE, "", { ...meeting, starts_at: after.startsAt, ends_at: after.endsAt });
        if (stateContent(state, "m.room.name")?.name !== after.name) await deps.client.sendState(roomId, "m.room.name", "", { name: after.name });
        if ((stateContent(state, "m.room.topic")?.topic ?? "") !== after.topic) await deps.client.sendState(roomId, "m.room.topic", "", { topic: after.topic });
      }
      notice = detailsNotice(job.payload);
      [mailKind, mailTo] = ["updated", participants()];
      break;
    }
    case "cancel": {
      const meeting = stateContent(state, MEETING_EVENT_TYPE) ?? {};
      await deps.client.sendState(roomId, MEETING_EVENT_TYPE, "", { ...meeting, cancelled: true });
      notice = cancelNotice(room.name);
      [mailKind, mailTo] = ["cancelled", participants()];
      break;
    }
  }
  await deps.outbox.send(deps.client, roomId, notice, jobNoticeKey(job.id));
  await queueMails(deps, room, organiser, job, mailKind, mailTo);
}

async function queueMails(deps: JobDeps, room: Room, organiser: Person | undefined, job: InvitationJob, kind: InvitationMailKind, userIds: string[]): Promise<void> {
  if (!deps.mailEnabled || userIds.length === 0 || !organiser) return;
  const recipients = await peopleByMatrixId(deps.db, userIds);
  const mails = meetingMails(
    { room, organiser, sequence: job.sequence, ...deps.site, now: deps.now?.() ?? new Date() },
    kind,
    recipients,
  );
  await queueInvitationMails(deps.db, mails);
}

/** After this many failed attempts a job is given up, so the room's later jobs (a cancellation) still run. */
export const JOB_MAX_ATTEMPTS = 12;
const JOB_BASE_DELAY_MS = 1_000;
const JOB_MAX_DELAY_MS = 5 * 60_000;

export function jobRetryDelayMs(attempts: number): number {
  return Math.min(JOB_MAX_DELAY_MS, JOB_BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1));
}

/**
 * Runs every due job, in creation order per room; a room whose job failed
 * waits for its retry before its later jobs run (a cancellation must not
 * overtake the reschedule before it). Rooms run side by side.
 */
export async function runDueInvitationJobs(deps: JobDeps, opts: { concurrency?: number; limit?: number } = {}): Promise<number> {
  const now = deps.now ?? (() => new Date());
  const open = await deps.db
    .select()
    .from(invitationJobs)
    .where(isNull(invitationJobs.doneAt))
    .orderBy(asc(invitationJobs.createdAt))
    .limit(opts.limit ?? 1_000);
  const byRoom = new Map<string, InvitationJob[]>();
  for (const job of open) byRoom.set(job.roomId, [...(byRoom.get(job.roomId) ?? []), job]);
  const queues = [...byRoom.values()];
  let done = 0;

  async function runRoom(jobs: InvitationJob[]): Promise<void> {
    for (const job of jobs) {
      if (job.nextAttemptAt.getTime() > now().getTime()) return;
      try {
        await processInvitationJob(deps, job);
      } catch (err) {
        const attempts = job.attempts + 1;
        const lastError = (err as Error).message.slice(0, 500);
        if (attempts >= JOB_MAX_ATTEMPTS) {
          // Given up: done, with the error kept for the operator; the room's next job may run.
          await deps.db.update(invitationJobs).set({ attempts, lastError, doneAt: now() }).where(eq(invitationJobs.id, job.id));
          deps.logger.error({ jobId: job.id, kind: job.kind, attempts, err }, "invitation job given up");
          continue;
        }
        await deps.db
          .update(invitationJobs)
          .set({ attempts, lastError, nextAttemptAt: new Date(now().getTime() + jobRetryDelayMs(attempts)) })
          .where(eq(invitationJobs.id, job.id));
        deps.logger.warn({ jobId: job.id, kind: job.kind, attempts, err }, "invitation job failed, will be retried");
        return;
      }
      await deps.db.update(invitationJobs).set({ doneAt: now(), attempts: job.attempts + 1, lastError: null }).where(eq(invitationJobs.id, job.id));
      done++;
    }
  }

  const concurrency = opts.concurrency ?? 8;
  const workers = Array.from({ length: Math.min(concurrency, queues.length) }, async () => {
    for (let q = queues.shift(); q; q = queues.shift()) await runRoom(q);
  });
  await Promise.all(workers);
  return done;
}
