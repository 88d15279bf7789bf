import { and, asc, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import { lifecycleJobs, type LifecycleJob } from "../../drizzle/tables/lifecycle";
import type { Db } from "../db/client";

/**
 * The durable job table behind the cleanup. A job is taken with a lease in
 * one UPDATE over rows selected `FOR UPDATE SKIP LOCKED`, so two bot
 * instances never hold the same room; every later write is conditional on
 * still holding the lease, so a worker whose lease ran out changes nothing.
 */

export type JobKind = LifecycleJob["kind"];

export interface NewJob {
  kind: JobKind;
  target: string;
  roomKind?: string | null;
  reason: string;
  policyVersion: number;
}

const OPEN_STATES = ["pending", "delete_requested"] as const;

/** Adds the job unless it exists; a cancelled one (the room was kept, then released) is opened again. */
export async function enqueueJob(db: Db, job: NewJob, now: Date): Promise<void> {
  await db
    .insert(lifecycleJobs)
    .values({ ...job, roomKind: job.roomKind ?? null, state: "pending", nextAttemptAt: now, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({
      target: [lifecycleJobs.kind, lifecycleJobs.target],
      set: { state: "pending", reason: job.reason, policyVersion: job.policyVersion, attempts: 0, lastError: null, nextAttemptAt: now, updatedAt: now },
      setWhere: eq(lifecycleJobs.state, "cancelled"),
    });
}

/** Takes up to `limit` due jobs for `workerId` until `now + leaseMs`. */
export async function claimJobs(db: Db, opts: { workerId: string; now: Date; leaseMs: number; limit: number; kinds?: JobKind[] }): Promise<LifecycleJob[]> {
  if (opts.limit <= 0) return [];
  const free = or(isNull(lifecycleJobs.leaseUntil), lt(lifecycleJobs.leaseUntil, opts.now));
  const due = and(
    inArray(lifecycleJobs.state, [...OPEN_STATES]),
    sql`${lifecycleJobs.nextAttemptAt} <= ${opts.now}`,
    free,
    opts.kinds ? inArray(lifecycleJobs.kind, opts.kinds) : undefined,
  );
  const candidates = db
    .select({ id: lifecycleJobs.id })
    .from(lifecycleJobs)
    .where(due)
    .orderBy(asc(lifecycleJobs.nextAttemptAt))
    .limit(opts.limit)
    .for("update", { skipLocked: true });
  return db
    .update(lifecycleJobs)
    .set({ lockedBy: opts.workerId, leaseUntil: new Date(opts.now.getTime() + opts.leaseMs), updatedAt: opts.now })
    // The lease condition is checked again on the locked row, not only in the snapshot that chose it.
    .where(and(inArray(lifecycleJobs.id, candidates), free))
    .returning();
}

/** A write under the lease: false when another worker holds the job now or it was cancelled (then nothing changed). */
export async function updateHeldJob(
  db: Db,
  job: Pick<LifecycleJob, "id">,
  workerId: string,
  set: Partial<Omit<LifecycleJob, "id" | "kind" | "target">>,
): Promise<boolean> {
  const rows = await db
    .update(lifecycleJobs)
    .set(set)
    // A job a person cancelled (or that is finished) is no longer the worker's to change.
    .where(and(eq(lifecycleJobs.id, job.id), eq(lifecycleJobs.lockedBy, workerId), inArray(lifecycleJobs.state, [...OPEN_STATES])))
    .returning({ id: lifecycleJobs.id });
  return rows.length === 1;
}

export async function jobsInState(db: Db, states: LifecycleJob["state"][]): Promise<LifecycleJob[]> {
  return db.select().from(lifecycleJobs).where(inArray(lifecycleJobs.state, states)).orderBy(asc(lifecycleJobs.createdAt));
}

/** An admin sends a flagged job back to the queue (after fixing its cause). */
export async function retryFailedJob(db: Db, jobId: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(lifecycleJobs)
    .set({ state: "pending", attempts: 0, nextAttemptAt: now, lockedBy: null, leaseUntil: null, updatedAt: now })
    .where(and(eq(lifecycleJobs.id, jobId), eq(lifecycleJobs.state, "failed")))
    .returning({ id: lifecycleJobs.id });
  return rows.length === 1;
}
