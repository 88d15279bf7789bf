import type { RetentionPolicy } from "./retention-policy";

/**
 * When a room is announced and deleted under the policy: pure date math,
 * with the clock passed in. The members are always told before a deletion
 * and get the full notice period, even when the announcement went out late
 * (the bots were down): the announced date is what counts.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

export type RoomKind = "meeting" | "team" | "direct";

export interface ScheduleInput {
  kind: RoomKind;
  createdAt: Date;
  startsAt: Date | null;
  endsAt: Date | null;
  /** Newest event in the room not sent by the service (team rooms and chats); null → createdAt. */
  lastActivityAt: Date | null;
  retention: {
    warnedFor: Date | null;
    /** Set once the announcement was posted; warnedFor is stored before the send. */
    warnedAt: Date | null;
    keptAt: Date | null;
    postponedDays: number | null;
    overrideDays: number | null;
  } | null;
}

export type Schedule =
  | { kind: "kept" }
  | {
      kind: "planned";
      /** When the announcement is due. */
      warnAt: Date;
      /** The deletion date under the policy, before any late announcement moves it. */
      deleteAt: Date;
      /** The date to show: the announced one if it covers the plan, else the plan. */
      plannedAt: Date;
      /** Days between announcement and deletion. */
      noticeDays: number;
      /** What the date is measured from, for the report and the audit entry. */
      basis: "meeting_end" | "inactivity";
      basisAt: Date;
      /** Days from the basis to deletion (policy, or the room's own period). */
      periodDays: number;
    };

export type Decision =
  | { action: "none"; schedule: Schedule }
  /** Post the announcement naming `announceFor` (never earlier than a full notice period from now). */
  | { action: "warn"; schedule: Schedule & { kind: "planned" }; announceFor: Date }
  | { action: "delete"; schedule: Schedule & { kind: "planned" } };

const addDays = (d: Date, n: number) => new Date(d.getTime() + n * DAY_MS);

export function scheduleFor(room: ScheduleInput, policy: RetentionPolicy): Schedule {
  if (room.retention?.keptAt) return { kind: "kept" };
  const postponed = room.retention?.postponedDays ?? 0;
  const override = room.retention?.overrideDays ?? null;
  let basisAt: Date;
  let periodDays: number;
  let noticeDays: number;
  let basis: "meeting_end" | "inactivity";
  if (room.kind === "meeting") {
    basis = "meeting_end";
    basisAt = room.endsAt ?? room.startsAt ?? room.createdAt;
    periodDays = override ?? policy.meetingDeleteAfterDays;
    noticeDays = Math.min(policy.meetingWarnDaysBefore, periodDays);
  } else {
    basis = "inactivity";
    const last = room.lastActivityAt && room.lastActivityAt > room.createdAt ? room.lastActivityAt : room.createdAt;
    basisAt = last;
    const [warn, del] =
      room.kind === "team"
        ? [policy.teamWarnAfterDays, policy.teamDeleteAfterDays]
        : [policy.directWarnAfterDays, policy.directDeleteAfterDays];
    periodDays = override ?? del;
    noticeDays = Math.min(del - warn, periodDays);
  }
  const deleteAt = addDays(basisAt, periodDays + postponed);
  const warnAt = addDays(deleteAt, -noticeDays);
  const warnedFor = room.retention?.warnedFor ?? null;
  const plannedAt = warnedFor && warnedFor >= deleteAt ? warnedFor : deleteAt;
  return { kind: "planned", warnAt, deleteAt, plannedAt, noticeDays, basis, basisAt, periodDays: periodDays + postponed };
}

/** What the cleanup bot does for this room now. */
export function decide(room: ScheduleInput, policy: RetentionPolicy, now: Date): Decision {
  const schedule = scheduleFor(room, policy);
  if (schedule.kind === "kept") return { action: "none", schedule };
  const warnedFor = room.retention?.warnedFor ?? null;
  const announcementCovers = warnedFor !== null && warnedFor >= schedule.deleteAt;
  if (announcementCovers) {
    // Chosen but not yet posted (a crash in between): post it for the same date, under the same key.
    if (!room.retention?.warnedAt) return { action: "warn", schedule, announceFor: warnedFor };
    return now >= warnedFor ? { action: "delete", schedule } : { action: "none", schedule };
  }
  if (now >= schedule.warnAt) {
    const earliest = addDays(now, schedule.noticeDays);
    return { action: "warn", schedule, announceFor: earliest > schedule.deleteAt ? earliest : schedule.deleteAt };
  }
  return { action: "none", schedule };
}

/** Guests are erased this long after their access ended (they are deactivated at once). */
export function guestEraseDueAt(accessEndedAt: Date, policy: RetentionPolicy): Date {
  return addDays(accessEndedAt, policy.guestEraseAfterDays);
}
