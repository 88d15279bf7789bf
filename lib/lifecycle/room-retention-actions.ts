import { and, eq, inArray, isNull, lt, or } from "drizzle-orm";
import { z } from "zod";
import { auditLog, rooms, type Room } from "../../drizzle/schema";
import { lifecycleJobs, roomRetention } from "../../drizzle/tables/lifecycle";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import type { ServiceClient } from "../matrix/service-client";
import { requireAdmin } from "../people/admin-access";
import { readRoomAccess } from "../rooms/room-access";
import { currentRetentionPolicy } from "./retention-policy";
import { scheduleFor } from "./retention-schedule";
import { scheduleInput } from "./room-plan";

/**
 * What people may change about one room's deletion. Room admins (power 100
 * on the homeserver, read fresh) may postpone once; city admins (role in the
 * database, read fresh) keep a room for good with a reason, release it, or
 * give it its own period within the policy's limit. A deletion already sent
 * to the homeserver cannot be stopped any more; one merely queued is.
 */

export const ROOM_ADMIN_LEVEL = 100;

async function managedRoom(db: Db, matrixRoomId: string): Promise<Room> {
  const room = await db.query.rooms.findFirst({ where: and(eq(rooms.matrixRoomId, matrixRoomId), eq(rooms.status, "active")) });
  if (!room) throw new AppError("room-not-found", "not-found", "Diesen Raum gibt es nicht.");
  return room;
}

/**
 * Cancels a queued deletion. Refused while a worker holds the job (it may be
 * sending the delete request right now) or the homeserver is deleting the room.
 */
async function stopQueuedDeletion(db: Db, matrixRoomId: string, now: Date): Promise<void> {
  const ofRoom = and(eq(lifecycleJobs.kind, "room_delete"), eq(lifecycleJobs.target, matrixRoomId));
  const [job] = await db.select({ state: lifecycleJobs.state }).from(lifecycleJobs).where(ofRoom);
  if (!job || job.state === "done" || job.state === "cancelled") return;
  const cancelled = await db
    .update(lifecycleJobs)
    .set({ state: "cancelled", updatedAt: now })
    .where(and(ofRoom, inArray(lifecycleJobs.state, ["pending", "failed"]), or(isNull(lifecycleJobs.leaseUntil), lt(lifecycleJobs.leaseUntil, now))))
    .returning({ id: lifecycleJobs.id });
  if (cancelled.length === 0) {
    throw new AppError("deletion-running", "conflict", "Der Raum wird gerade gelöscht; das lässt sich nicht mehr aufhalten.");
  }
}

export async function canPostpone(service: Pick<ServiceClient, "getState">, matrixRoomId: string, userId: string | null): Promise<boolean> {
  if (!userId) return false;
  const access = await readRoomAccess(service, matrixRoomId, userId);
  return (access.membership === "join" || access.membership === "invite") && access.powerLevel >= ROOM_ADMIN_LEVEL;
}

/** A room admin postpones the deletion once by the policy's days. */
export async function postponeDeletionOnce(
  deps: { db: Db; service: Pick<ServiceClient, "getState">; now: () => Date },
  matrixRoomId: string,
  actorUserId: string | null,
): Promise<{ postponedDays: number }> {
  const room = await managedRoom(deps.db, matrixRoomId);
  if (!(await canPostpone(deps.service, matrixRoomId, actorUserId))) {
    throw new AppError("not-room-admin", "forbidden", "Nur die Raumverwaltung kann die Löschung verschieben.");
  }
  const policy = await currentRetentionPolicy(deps.db);
  const now = deps.now();
  const [before] = await deps.db.select({ days: roomRetention.postponedDays }).from(roomRetention).where(eq(roomRetention.roomId, room.id));
  if (before?.days != null) throw new AppError("already-postponed", "conflict", "Die Löschung dieses Raums wurde schon einmal verschoben.");
  await stopQueuedDeletion(deps.db, matrixRoomId, now);
  await deps.db.insert(roomRetention).values({ roomId: room.id, updatedAt: now }).onConflictDoNothing();
  // One conditional update decides: a second click (or a second admin) finds it set and is refused.
  const fresh = await deps.db
    .update(roomRetention)
    .set({ postponedAt: now, postponedBy: actorUserId, postponedDays: policy.postponeDays, updatedAt: now })
    .where(and(eq(roomRetention.roomId, room.id), isNull(roomRetention.postponedDays)))
    .returning();
  if (fresh.length !== 1) throw new AppError("already-postponed", "conflict", "Die Löschung dieses Raums wurde schon einmal verschoben.");
  await deps.db.insert(auditLog).values({
    at: now,
    actor: actorUserId ?? "unknown",
    action: "lifecycle.room_postponed",
    subject: matrixRoomId,
    details: { roomName: room.name, kind: room.kind, days: policy.postponeDays, policyVersion: policy.version },
  });
  return { postponedDays: policy.postponeDays };
}

export const keepInput = z.object({
  reason: z.string().trim().min(5, "Bitte eine Begründung (mindestens 5 Zeichen) angeben").max(500, "Höchstens 500 Zeichen"),
});

/** A city admin keeps a room for good; the reason is stored and audited. */
export async function keepRoomPermanently(deps: { db: Db; now: () => Date }, actorId: string, matrixRoomId: string, input: unknown): Promise<void> {
  const admin = await requireAdmin(deps.db, actorId);
  const parsed = keepInput.safeParse(input);
  if (!parsed.success) {
    throw new AppError("invalid-reason", "invalid", parsed.error.issues[0]!.message, { reason: parsed.error.issues[0]!.message });
  }
  const room = await managedRoom(deps.db, matrixRoomId);
  const now = deps.now();
  await stopQueuedDeletion(deps.db, matrixRoomId, now);
  const values = { keptAt: now, keptBy: admin.id, keepReason: parsed.data.reason, updatedAt: now };
  await deps.db.insert(roomRetention).values({ roomId: room.id, ...values }).onConflictDoUpdate({ target: roomRetention.roomId, set: values });
  await deps.db.insert(auditLog).values({
    at: now,
    actor: admin.id,
    action: "lifecycle.room_kept",
    subject: matrixRoomId,
    details: { roomName: room.name, kind: room.kind, reason: parsed.data.reason },
  });
}

/** A city admin ends a permanent keep: the room follows the policy again. */
export async function releaseRoomKeep(deps: { db: Db; now: () => Date }, actorId: string, matrixRoomId: string): Promise<void> {
  const admin = await requireAdmin(deps.db, actorId);
  const room = await managedRoom(deps.db, matrixRoomId);
  const now = deps.now();
  await deps.db.update(roomRetention).set({ keptAt: null, keptBy: null, keepReason: null, updatedAt: now }).where(eq(roomRetention.roomId, room.id));
  await deps.db.insert(auditLog).values({ at: now, actor: admin.id, action: "lifecycle.room_keep_released", subject: matrixRoomId, details: { roomName: room.name, kind: room.kind } });
}

/** A city admin gives a room its own deletion period, at most the policy's limit. */
export async function setRoomPeriod(deps: { db: Db; now: () => Date }, actorId: string, matrixRoomId: string, input: unknown): Promise<void> {
  const admin = await requireAdmin(deps.db, actorId);
  const policy = await currentRetentionPolicy(deps.db);
  const parsed = z
    .object({
      days: z.preprocess(
        (v) => (v === "" || v === null || v === undefined ? null : v),
        z.coerce
          .number({ error: "Bitte eine Zahl angeben" })
          .int("Bitte ganze Tage angeben")
          .min(1, "Mindestens 1 Tag")
          .max(policy.maxRoomOverrideDays, `Höchstens ${policy.maxRoomOverrideDays} Tage (Grenze der Richtlinie)`)
          .nullable(),
      ),
    })
    .safeParse(input);
  if (!parsed.success) throw new AppError("invalid-days", "invalid", parsed.error.issues[0]!.message, { days: parsed.error.issues[0]!.message });
  const room = await managedRoom(deps.db, matrixRoomId);
  const now = deps.now();
  await deps.db
    .insert(roomRetention)
    .values({ roomId: room.id, overrideDays: parsed.data.days, updatedAt: now })
    .onConflictDoUpdate({ target: roomRetention.roomId, set: { overrideDays: parsed.data.days, updatedAt: now } });
  await deps.db.insert(auditLog).values({
    at: now,
    actor: admin.id,
    action: "lifecycle.room_period_set",
    subject: matrixRoomId,
    details: { roomName: room.name, kind: room.kind, days: parsed.data.days, policyVersion: policy.version },
  });
}

export interface RoomDeletionInfo {
  kept: boolean;
  plannedAt: Date | null;
  canStillPostpone: boolean;
  postponeDays: number;
}

/** What the room page shows its admins: the planned date and whether the one postponement is left. */
export async function deletionInfoForRoom(
  db: Db,
  matrixRoomId: string,
  lastActivity: (roomId: string) => Promise<Date | null>,
): Promise<RoomDeletionInfo | null> {
  const room = await db.query.rooms.findFirst({ where: and(eq(rooms.matrixRoomId, matrixRoomId), eq(rooms.status, "active")) });
  if (!room) return null;
  const [retention] = await db.select().from(roomRetention).where(eq(roomRetention.roomId, room.id));
  const policy = await currentRetentionPolicy(db);
  const planned = { ...room, matrixRoomId, retention: retention ?? null, jobState: null };
  const schedule = scheduleFor(scheduleInput(planned, room.kind === "meeting" ? null : await lastActivity(matrixRoomId)), policy);
  return {
    kept: schedule.kind === "kept",
    plannedAt: schedule.kind === "planned" ? schedule.plannedAt : null,
    canStillPostpone: schedule.kind === "planned" && retention?.postponedDays == null,
    postponeDays: policy.postponeDays,
  };
}
