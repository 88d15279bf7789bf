import { and, eq, isNotNull } from "drizzle-orm";
import { rooms } from "../../drizzle/schema";
import { lifecycleJobs, roomRetention, type RoomRetention } from "../../drizzle/tables/lifecycle";
import type { Db } from "../db/client";
import type { RetentionPolicy } from "./retention-policy";
import { decide, scheduleFor, type Decision, type RoomKind, type ScheduleInput } from "./retention-schedule";

/** One managed room as the cleanup plans it. Only rooms with a row in `rooms` are ever considered. */
export interface PlannedRoom {
  id: string;
  matrixRoomId: string;
  name: string;
  kind: RoomKind;
  createdAt: Date;
  startsAt: Date | null;
  endsAt: Date | null;
  retention: RoomRetention | null;
  /** The open or finished deletion job, if any. */
  jobState: string | null;
}

export async function activeManagedRooms(db: Db): Promise<PlannedRoom[]> {
  const rows = await db
    .select({ room: rooms, retention: roomRetention, jobState: lifecycleJobs.state })
    .from(rooms)
    .leftJoin(roomRetention, eq(roomRetention.roomId, rooms.id))
    .leftJoin(lifecycleJobs, and(eq(lifecycleJobs.kind, "room_delete"), eq(lifecycleJobs.target, rooms.matrixRoomId)))
    .where(and(eq(rooms.status, "active"), isNotNull(rooms.matrixRoomId)));
  return rows.map(({ room, retention, jobState }) => ({
    id: room.id,
    matrixRoomId: room.matrixRoomId!,
    name: room.name,
    kind: room.kind,
    createdAt: room.createdAt,
    startsAt: room.startsAt,
    endsAt: room.endsAt,
    retention,
    jobState,
  }));
}

export function scheduleInput(room: PlannedRoom, lastActivityAt: Date | null): ScheduleInput {
  return {
    kind: room.kind,
    createdAt: room.createdAt,
    startsAt: room.startsAt,
    endsAt: room.endsAt,
    lastActivityAt,
    retention: room.retention && {
      warnedFor: room.retention.warnedFor,
      warnedAt: room.retention.warnedAt,
      keptAt: room.retention.keptAt,
      postponedDays: room.retention.postponedDays,
      overrideDays: room.retention.overrideDays,
    },
  };
}

/**
 * The decision for a room, asking the homeserver for its last activity only
 * when it could matter: a team room or chat that, measured from its creation,
 * is not yet due needs no call (activity only moves the date later).
 */
export async function decideRoom(
  room: PlannedRoom,
  policy: RetentionPolicy,
  now: Date,
  lastActivityAt: (roomId: string) => Promise<Date | null>,
): Promise<Decision> {
  const first = decide(scheduleInput(room, null), policy, now);
  if (room.kind === "meeting" || first.action === "none") return first;
  return decide(scheduleInput(room, await lastActivityAt(room.matrixRoomId)), policy, now);
}

export interface DryRunRow {
  roomId: string;
  matrixRoomId: string;
  name: string;
  kind: RoomKind;
  /** When the room will be deleted if nothing changes; null for kept rooms. */
  plannedAt: Date | null;
  warnAt: Date | null;
  basis: string;
  basisAt: Date | null;
  periodDays: number | null;
  state: "kept" | "deleting" | "failed" | "announced" | "scheduled";
  keepReason: string | null;
  postponed: boolean;
}

/**
 * What the cleanup would delete within `horizonDays`, and why — changes
 * nothing. Kept rooms are listed too, so the data-protection officer sees
 * every exception.
 */
export async function dryRunReport(
  db: Db,
  policy: RetentionPolicy,
  now: Date,
  horizonDays: number,
  lastActivityAt: (roomId: string) => Promise<Date | null>,
): Promise<DryRunRow[]> {
  const horizon = new Date(now.getTime() + horizonDays * 86_400_000);
  const out: DryRunRow[] = [];
  for (const room of await activeManagedRooms(db)) {
    const crude = scheduleFor(scheduleInput(room, null), policy);
    const base = {
      roomId: room.id,
      matrixRoomId: room.matrixRoomId,
      name: room.name,
      kind: room.kind,
      keepReason: room.retention?.keepReason ?? null,
      postponed: (room.retention?.postponedDays ?? 0) > 0,
    };
    if (crude.kind === "kept") {
      out.push({ ...base, plannedAt: null, warnAt: null, basis: "kept", basisAt: null, periodDays: null, state: "kept" });
      continue;
    }
    if (crude.plannedAt > horizon) continue;
    const schedule =
      room.kind === "meeting" ? crude : scheduleFor(scheduleInput(room, await lastActivityAt(room.matrixRoomId)), policy);
    if (schedule.kind !== "planned" || schedule.plannedAt > horizon) continue;
    const state =
      room.jobState === "failed"
        ? "failed"
        : room.jobState === "pending" || room.jobState === "delete_requested"
          ? "deleting"
          : room.retention?.warnedAt && room.retention.warnedFor && room.retention.warnedFor >= schedule.deleteAt
            ? "announced"
            : "scheduled";
    out.push({
      ...base,
      plannedAt: schedule.plannedAt,
      warnAt: schedule.warnAt,
      basis: schedule.basis,
      basisAt: schedule.basisAt,
      periodDays: schedule.periodDays,
      state,
    });
  }
  return out.sort((a, b) => (a.plannedAt?.getTime() ?? Infinity) - (b.plannedAt?.getTime() ?? Infinity));
}

const csvCell = (v: string) => (/[",\n\r;]/.test(v) || /^[=+\-@]/.test(v) ? `"${v.replaceAll('"', '""').replace(/^([=+\-@])/, "'$1")}"` : v);

/** The dry run as CSV (RFC 4180, UTF-8); cells that a spreadsheet would run as formulas are defused. */
export function dryRunCsv(rows: DryRunRow[], policy: RetentionPolicy): string {
  const header = ["raum", "matrix_raum_id", "art", "status", "loeschung_geplant", "ankuendigung", "grund", "bezugszeitpunkt", "frist_tage", "verschoben", "behalten_grund", "richtlinie_version"];
  const lines = rows.map((r) =>
    [
      r.name,
      r.matrixRoomId,
      r.kind,
      r.state,
      r.plannedAt?.toISOString() ?? "",
      r.warnAt?.toISOString() ?? "",
      r.basis,
      r.basisAt?.toISOString() ?? "",
      r.periodDays?.toString() ?? "",
      r.postponed ? "ja" : "nein",
      r.keepReason ?? "",
      String(policy.version),
    ]
      .map(csvCell)
      .join(","),
  );
  return [header.join(","), ...lines].join("\r\n") + "\r\n";
}
