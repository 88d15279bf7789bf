import { and, eq, inArray, lte, notExists, sql } from "drizzle-orm";
import { auditLog, guestLinks, guests, rooms } from "../../drizzle/schema";
import { lifecycleJobs, roomRetention, type LifecycleJob } from "../../drizzle/tables/lifecycle";
import type { Db } from "../../lib/db/client";
import { announceRoomClosed } from "../../lib/federation/announce-room-closed";
import { deletionAnnouncement, deletionReason } from "../../lib/lifecycle/lifecycle-texts";
import { roomRetentionContent } from "../../lib/lifecycle/message-retention";
import type { LifecycleHomeserver } from "../../lib/lifecycle/lifecycle-homeserver";
import { claimJobs, enqueueJob, updateHeldJob } from "../../lib/lifecycle/lifecycle-jobs";
import { currentRetentionPolicy, type RetentionPolicy } from "../../lib/lifecycle/retention-policy";
import { activeManagedRooms, decideRoom, type PlannedRoom } from "../../lib/lifecycle/room-plan";
import { MatrixApiError, enc } from "../../lib/matrix/client-api";
import type { Logger } from "../../lib/log";
import type { BotClient } from "../shared/homeserver";
import type { Outbox } from "../shared/outbox";
import { retryDelayMs, withRetry, type RetryOptions } from "../shared/retry";

/**
 * One pass of the cleanup: announce what is due, queue what must go, then
 * work the queue with a bounded number of deletions in flight (Synapse runs
 * up to five purges at once; the rest wait in its queue instead of ours).
 * Every step is stored before the next one starts, so a pass that stops
 * anywhere is completed by the next one — by this worker or another.
 */

export interface CleanupDeps {
  db: Db;
  hs: LifecycleHomeserver;
  outbox: Outbox;
  bot: Pick<BotClient, "userId" | "sendEvent" | "sendState">;
  /** Policy version whose message retention each room already carries (per process; a repeat is harmless). */
  retentionApplied?: Map<string, number>;
  portalUrl: string;
  log: Logger;
  now: () => Date;
  /** Names this worker in the lease. */
  workerId: string;
  /** Deletions in flight at once. */
  parallel: number;
  leaseMs: number;
  /** Between two status polls of one deletion. */
  pollIntervalMs: number;
  /** Gives up waiting for one deletion after this long; the next pass continues it. */
  maxPollMs: number;
  retry?: RetryOptions;
  sleep?: (ms: number) => Promise<void>;
  /** Test hook: runs after each stored step; throwing WorkerStopped there acts like a crash. */
  afterStep?: (step: "delete_requested" | "deleted_on_homeserver", job: LifecycleJob) => Promise<void> | void;
}

/** Thrown to stop a worker mid-job without touching the job: its lease simply runs out. */
export class WorkerStopped extends Error {
  constructor() {
    super("worker stopped");
    this.name = "WorkerStopped";
  }
}

export interface CleanupReport {
  announced: number;
  queued: number;
  roomsDeleted: number;
  guestsErased: number;
  retried: number;
  failed: number;
}

const ACTOR = "system:cleanup";

/** Calls that may be repeated safely are retried a few times here; a longer outage becomes a job backoff. */
function call<T>(deps: CleanupDeps, fn: () => Promise<T>): Promise<T> {
  return withRetry(fn, { idempotent: true }, { maxAttempts: 3, ...deps.retry });
}

export async function runCleanupOnce(deps: CleanupDeps): Promise<CleanupReport> {
  const report: CleanupReport = { announced: 0, queued: 0, roomsDeleted: 0, guestsErased: 0, retried: 0, failed: 0 };
  const policy = await currentRetentionPolicy(deps.db);
  await planRooms(deps, policy, report);
  await queueGuestErasures(deps, policy, report);
  await workQueue(deps, report);
  return report;
}

async function planRooms(deps: CleanupDeps, policy: RetentionPolicy, report: CleanupReport): Promise<void> {
  const now = deps.now();
  const lastActivity = (roomId: string) => call(deps, () => deps.hs.lastActivityAt(roomId));
  for (const room of await activeManagedRooms(deps.db)) {
    if (room.jobState === "pending" || room.jobState === "delete_requested" || room.jobState === "failed") continue;
    try {
      await applyMessageRetention(deps, room, policy);
      const decision = await decideRoom(room, policy, now, lastActivity);
      if (decision.action === "warn") {
        await announce(deps, room, policy, decision.announceFor);
        report.announced++;
      } else if (decision.action === "delete") {
        await enqueueJob(
          deps.db,
          {
            kind: "room_delete",
            target: room.matrixRoomId,
            roomKind: room.kind,
            reason: deletionReason(room.kind, policy, decision.schedule.periodDays),
            policyVersion: policy.version,
          },
          now,
        );
        report.queued++;
      }
    } catch (err) {
      // One room the homeserver will not answer for must not hold up the others.
      deps.log.warn({ roomId: room.matrixRoomId, err: (err as Error).message }, "room not planned; next pass retries");
    }
  }
}

/** `m.room.retention` from the policy, once per room and policy version (identical content adds no event). */
async function applyMessageRetention(deps: CleanupDeps, room: PlannedRoom, policy: RetentionPolicy): Promise<void> {
  if (policy.messageRetentionDays === null || !deps.retentionApplied) return;
  if (deps.retentionApplied.get(room.matrixRoomId) === policy.version) return;
  await call(deps, () => deps.bot.sendState(room.matrixRoomId, "m.room.retention", "", roomRetentionContent(policy.messageRetentionDays!)));
  deps.retentionApplied.set(room.matrixRoomId, policy.version);
}

/** The date is stored before the message goes out, so a repeated pass posts the same message under the same key. */
async function announce(deps: CleanupDeps, room: PlannedRoom, policy: RetentionPolicy, deleteAt: Date): Promise<void> {
  const now = deps.now();
  await deps.db
    .insert(roomRetention)
    .values({ roomId: room.id, warnedFor: deleteAt, updatedAt: now })
    .onConflictDoUpdate({ target: roomRetention.roomId, set: { warnedFor: deleteAt, warnedAt: null, updatedAt: now } });
  const text = deletionAnnouncement({
    kind: room.kind,
    deleteAt,
    roomUrl: `${deps.portalUrl}/rooms/${enc(room.matrixRoomId)}`,
    policy,
    canPostpone: !room.retention?.postponedAt,
  });
  await deps.outbox.send(
    deps.bot,
    room.matrixRoomId,
    { msgtype: "m.notice", body: text.body, format: "org.matrix.custom.html", formatted_body: text.html },
    `lifecycle-announcement:${room.matrixRoomId}:${deleteAt.toISOString()}`,
  );
  await deps.db.update(roomRetention).set({ warnedAt: deps.now(), updatedAt: deps.now() }).where(eq(roomRetention.roomId, room.id));
  await deps.db.insert(auditLog).values({
    at: deps.now(),
    actor: ACTOR,
    action: "lifecycle.room_announced",
    subject: room.matrixRoomId,
    details: { roomName: room.name, kind: room.kind, deleteAt: deleteAt.toISOString(), policyVersion: policy.version, actor: deps.bot.userId },
  });
}

/** Guests whose access ended `guestEraseAfterDays` ago: deactivated with erasure (display name and avatar). */
async function queueGuestErasures(deps: CleanupDeps, policy: RetentionPolicy, report: CleanupReport): Promise<void> {
  const now = deps.now();
  const cutoff = new Date(now.getTime() - policy.guestEraseAfterDays * 86_400_000);
  const due = await deps.db
    .select({ matrixUserId: guests.matrixUserId })
    .from(guests)
    .innerJoin(guestLinks, eq(guestLinks.id, guests.linkId))
    .innerJoin(rooms, eq(rooms.id, guestLinks.roomId))
    .where(
      and(
        lte(sql`coalesce(${guests.removedAt}, ${guests.expiresAt})`, cutoff),
        notExists(
          deps.db
            .select({ one: sql`1` })
            .from(lifecycleJobs)
            .where(and(eq(lifecycleJobs.kind, "guest_erase"), eq(lifecycleJobs.target, guests.matrixUserId))),
        ),
      ),
    )
    .limit(500);
  for (const g of due) {
    await enqueueJob(
      deps.db,
      { kind: "guest_erase", target: g.matrixUserId, reason: `Gastzugang beendet, Frist ${policy.guestEraseAfterDays} Tage`, policyVersion: policy.version },
      now,
    );
    report.queued++;
  }
}

/** Runs up to `parallel` jobs at a time, taking the next one as a slot frees, until nothing is due. */
async function workQueue(deps: CleanupDeps, report: CleanupReport): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  let stopped: WorkerStopped | undefined;
  for (;;) {
    if (stopped) break;
    const free = deps.parallel - inFlight.size;
    const claimed = free > 0 ? await claimJobs(deps.db, { workerId: deps.workerId, now: deps.now(), leaseMs: deps.leaseMs, limit: free }) : [];
    for (const job of claimed) {
      const p = runJob(deps, job, report)
        .catch((err: unknown) => {
          if (err instanceof WorkerStopped) stopped = err;
          else deps.log.error({ err, jobId: job.id }, "cleanup job crashed");
        })
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    if (inFlight.size === 0) break;
    await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  if (stopped) throw stopped;
}

async function runJob(deps: CleanupDeps, job: LifecycleJob, report: CleanupReport): Promise<void> {
  try {
    if (job.kind === "room_delete") await deleteRoomJob(deps, job, report);
    else await eraseGuestJob(deps, job, report);
  } catch (err) {
    if (err instanceof WorkerStopped) throw err;
    await recordFailure(deps, job, err, report);
  }
}

/** A passing failure (homeserver away, 5xx, 429) waits and retries; an admin-API refusal flags the job for admins. */
async function recordFailure(deps: CleanupDeps, job: LifecycleJob, err: unknown, report: CleanupReport): Promise<void> {
  const now = deps.now();
  const message = err instanceof MatrixApiError ? `${err.status} ${err.errcode}` : (err as Error).message;
  const attempts = job.attempts + 1;
  const delay = retryDelayMs(err, 1, { idempotent: true }, { maxAttempts: 2, ...deps.retry });
  if (delay !== undefined || !(err instanceof MatrixApiError)) {
    const backoffMs = Math.min(60 * 60_000, 30_000 * 2 ** Math.min(attempts - 1, 7));
    await updateHeldJob(deps.db, job, deps.workerId, {
      attempts,
      lastError: message,
      nextAttemptAt: new Date(now.getTime() + backoffMs),
      lockedBy: null,
      leaseUntil: null,
      updatedAt: now,
    });
    deps.log.warn({ jobId: job.id, target: job.target, err: message, backoffMs }, "cleanup step failed; retried later");
    report.retried++;
    return;
  }
  if (await updateHeldJob(deps.db, job, deps.workerId, { state: "failed", attempts, lastError: message, lockedBy: null, leaseUntil: null, updatedAt: now })) {
    await deps.db.insert(auditLog).values({
      at: now,
      actor: ACTOR,
      action: job.kind === "room_delete" ? "lifecycle.room_delete_failed" : "lifecycle.guest_deactivation_failed",
      subject: job.target,
      details: { kind: job.roomKind, reason: job.reason, policyVersion: job.policyVersion, error: message, actor: deps.bot.userId },
    });
  }
  deps.log.error({ jobId: job.id, target: job.target, err: message }, "cleanup job flagged for an admin");
  report.failed++;
}

async function deleteRoomJob(deps: CleanupDeps, job: LifecycleJob, report: CleanupReport): Promise<void> {
  const [row] = await deps.db
    .select({ room: rooms, keptAt: roomRetention.keptAt, postponedAt: roomRetention.postponedAt })
    .from(rooms)
    .leftJoin(roomRetention, eq(roomRetention.roomId, rooms.id))
    .where(eq(rooms.matrixRoomId, job.target));
  // Only rooms the service manages are touched; a room kept meanwhile stays.
  if (!row || row.keptAt) {
    await updateHeldJob(deps.db, job, deps.workerId, { state: "cancelled", lockedBy: null, leaseUntil: null, updatedAt: deps.now() });
    return;
  }
  let deleteId = job.deleteId;
  const pollUntil = Date.now() + deps.maxPollMs;
  const sleep = deps.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  // Deletion reaches only our server: partners opened to the room are told it closes (stable txn id, never twice).
  if (!deleteId) await tellPartnersRoomCloses(deps, job.target);
  for (;;) {
    if (!deleteId) {
      deleteId = await requestDeletion(deps, job.target);
      if (!(await updateHeldJob(deps.db, job, deps.workerId, { deleteId, state: "delete_requested", updatedAt: deps.now() }))) return;
      await deps.afterStep?.("delete_requested", { ...job, deleteId, state: "delete_requested" });
    }
    const status = await call(deps, () => deps.hs.deleteStatus(deleteId!));
    if (status === null) {
      // Statuses live in memory until Synapse restarts: ask again (deleting a deleted room is harmless).
      deps.log.info({ roomId: job.target, deleteId }, "delete id unknown to the homeserver; deletion requested again");
      deleteId = null;
      continue;
    }
    if (status.status === "complete") break;
    if (status.status === "failed") throw new MatrixApiError(422, "M_DELETE_FAILED", `deletion failed: ${status.error ?? "unknown"}`);
    if (Date.now() > pollUntil) {
      await updateHeldJob(deps.db, job, deps.workerId, { lockedBy: null, leaseUntil: null, updatedAt: deps.now() });
      return;
    }
    // Keep the lease while waiting; losing it means another worker took over.
    const now = deps.now();
    if (!(await updateHeldJob(deps.db, job, deps.workerId, { leaseUntil: new Date(now.getTime() + deps.leaseMs), updatedAt: now }))) return;
    await sleep(deps.pollIntervalMs);
  }
  await deps.afterStep?.("deleted_on_homeserver", { ...job, deleteId, state: "delete_requested" });
  if (await finishRoomDeletion(deps, job, row.room, deleteId!)) report.roomsDeleted++;
}

async function tellPartnersRoomCloses(deps: CleanupDeps, roomId: string): Promise<void> {
  try {
    await call(deps, () => announceRoomClosed(roomId, { db: deps.db, client: deps.bot }));
  } catch (err) {
    // The bot no longer in the room (or the room already gone) must not keep the room from being deleted.
    if (err instanceof MatrixApiError && (err.status === 403 || err.status === 404)) {
      deps.log.warn({ roomId, status: err.status }, "partners could not be told that the room closes");
      return;
    }
    throw err;
  }
}

async function requestDeletion(deps: CleanupDeps, roomId: string): Promise<string> {
  try {
    return await call(deps, () => deps.hs.requestRoomDeletion(roomId));
  } catch (err) {
    // "Purge already in progress": follow the deletion that runs.
    if (err instanceof MatrixApiError && err.status === 400) {
      const running = await call(deps, () => deps.hs.latestDeleteStatusOfRoom(roomId));
      if (running && running.status !== "failed") return running.deleteId;
    }
    throw err;
  }
}

/** In one transaction: job done (only while holding it), audit entry, guests queued for erasure, portal row gone. */
async function finishRoomDeletion(deps: CleanupDeps, job: LifecycleJob, room: typeof rooms.$inferSelect, deleteId: string): Promise<boolean> {
  const now = deps.now();
  return deps.db.transaction(async (tx) => {
    const held = await tx
      .update(lifecycleJobs)
      .set({ state: "done", deleteId, completedAt: now, lockedBy: null, leaseUntil: null, updatedAt: now })
      .where(and(eq(lifecycleJobs.id, job.id), eq(lifecycleJobs.lockedBy, deps.workerId), inArray(lifecycleJobs.state, ["pending", "delete_requested"])))
      .returning({ id: lifecycleJobs.id });
    // Another worker took the job over (our lease ran out): it finishes, we record nothing.
    if (held.length !== 1) return false;
    const roomGuests = await tx
      .select({ matrixUserId: guests.matrixUserId })
      .from(guests)
      .innerJoin(guestLinks, eq(guestLinks.id, guests.linkId))
      .where(eq(guestLinks.roomId, room.id));
    for (const g of roomGuests) {
      await tx
        .insert(lifecycleJobs)
        .values({ kind: "guest_erase", target: g.matrixUserId, reason: "Raum gelöscht", policyVersion: job.policyVersion, nextAttemptAt: now, createdAt: now, updatedAt: now })
        .onConflictDoNothing();
    }
    await tx.insert(auditLog).values({
      at: now,
      actor: ACTOR,
      action: "lifecycle.room_deleted",
      subject: job.target,
      details: {
        roomName: room.name,
        kind: room.kind,
        reason: job.reason,
        policyVersion: job.policyVersion,
        deleteId,
        guests: roomGuests.length,
        actor: deps.bot.userId,
        worker: deps.workerId,
      },
    });
    await tx.delete(rooms).where(eq(rooms.id, room.id));
    return true;
  });
}

async function eraseGuestJob(deps: CleanupDeps, job: LifecycleJob, report: CleanupReport): Promise<void> {
  try {
    await call(deps, () => deps.hs.deactivateAndErase(job.target));
  } catch (err) {
    // The account never came to exist (redemption stopped before): nothing to erase.
    if (!(err instanceof MatrixApiError && err.status === 404)) throw err;
  }
  const now = deps.now();
  const erased = await deps.db.transaction(async (tx) => {
    const held = await tx
      .update(lifecycleJobs)
      .set({ state: "done", completedAt: now, lockedBy: null, leaseUntil: null, updatedAt: now })
      .where(and(eq(lifecycleJobs.id, job.id), eq(lifecycleJobs.lockedBy, deps.workerId), eq(lifecycleJobs.state, "pending")))
      .returning({ id: lifecycleJobs.id });
    if (held.length !== 1) return false;
    // The portal keeps no name either: the row stays only as the record of an acceptance.
    await tx
      .update(guests)
      .set({ displayName: "–", matrixAccessTokenEnc: null, removedAt: sql`coalesce(${guests.removedAt}, ${now})` })
      .where(eq(guests.matrixUserId, job.target));
    await tx.insert(auditLog).values({
      at: now,
      actor: ACTOR,
      action: "lifecycle.guest_deactivated",
      subject: job.target,
      details: { kind: "guest", reason: job.reason, policyVersion: job.policyVersion, erase: true, actor: deps.bot.userId },
    });
    return true;
  });
  if (erased) report.guestsErased++;
}
