import { auditLog } from "../../drizzle/schema";
import type { AppConfig } from "../config/load";
import type { Db } from "../db/client";
import { requireAdmin } from "../people/admin-access";
import { createLifecycleHomeserver } from "./lifecycle-homeserver";
import { jobsInState, retryFailedJob } from "./lifecycle-jobs";
import { currentRetentionPolicy, saveRetentionPolicy, type SavePolicyResult } from "./retention-policy";
import { dryRunReport, type DryRunRow } from "./room-plan";
import { botUserId } from "../matrix/appservice-registration";

/** What city admins do under /admin/aufbewahrung; every function checks the admin role in the database first. */

/** The window the admin page and the report look ahead. */
export const REPORT_HORIZON_DAYS = 60;

export async function saveRetentionPolicyByAdmin(db: Db, actorId: string, input: unknown): Promise<SavePolicyResult> {
  await requireAdmin(db, actorId);
  const before = await currentRetentionPolicy(db);
  const result = await saveRetentionPolicy(db, input, actorId);
  if (result.ok) {
    const { version: _v, ...previous } = before;
    await db.insert(auditLog).values({
      actor: actorId,
      action: "lifecycle.policy_changed",
      subject: `retention-policy:${result.policy.version}`,
      details: { version: result.policy.version, previous, policy: result.policy },
    });
  }
  return result;
}

/** The room's last activity as the homeserver reports it (the portal holds the same tokens as the bots). */
export function portalLastActivity(config: AppConfig): (roomId: string) => Promise<Date | null> {
  const hs = createLifecycleHomeserver({
    homeserverUrl: config.matrix.homeserverUrl,
    adminToken: config.matrix.adminToken,
    asToken: config.appservice.asToken,
    botUserId: botUserId(config),
  });
  return async (roomId) => {
    try {
      return await hs.lastActivityAt(roomId);
    } catch {
      // The report must still list the room; measured from its creation it is due no later.
      return null;
    }
  };
}

export interface LifecycleOverview {
  policy: Awaited<ReturnType<typeof currentRetentionPolicy>>;
  upcoming: DryRunRow[];
  flagged: Awaited<ReturnType<typeof jobsInState>>;
}

export async function lifecycleOverviewForAdmin(
  db: Db,
  actorId: string,
  now: Date,
  lastActivity: (roomId: string) => Promise<Date | null>,
): Promise<LifecycleOverview> {
  await requireAdmin(db, actorId);
  const policy = await currentRetentionPolicy(db);
  const [upcoming, flagged] = await Promise.all([
    dryRunReport(db, policy, now, REPORT_HORIZON_DAYS, lastActivity),
    jobsInState(db, ["failed"]),
  ]);
  return { policy, upcoming, flagged };
}

export async function retryFlaggedJobByAdmin(db: Db, actorId: string, jobId: string, now: Date): Promise<boolean> {
  await requireAdmin(db, actorId);
  const done = await retryFailedJob(db, jobId, now);
  if (done) await db.insert(auditLog).values({ actor: actorId, action: "lifecycle.job_retried", subject: jobId, details: {} });
  return done;
}
