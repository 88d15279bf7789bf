import { desc, eq } from "drizzle-orm";
import { auditLog } from "../../drizzle/schema";
import { usagePolicyVersions } from "../../drizzle/tables/policy";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { requireAdmin } from "../people/admin-access";
import { DEFAULT_POLICY, policyFieldErrors, usagePolicySchema, type UsagePolicy } from "./usage-policy";

/**
 * The usage policy in force: the highest stored version, or the code's
 * defaults (version 0) before an admin saved one. Portal and bots read it
 * through a short cache, so a change reaches every process within seconds
 * without a restart.
 */

export interface PolicyVersion {
  version: number;
  policy: UsagePolicy;
  createdBy: string | null;
  createdAt: Date | null;
}

export const DEFAULT_POLICY_VERSION: PolicyVersion = { version: 0, policy: DEFAULT_POLICY, createdBy: null, createdAt: null };

/** Reads the newest version from the database, uncached. A stored row that no longer validates is an error, never silently replaced. */
export async function readCurrentPolicy(db: Db): Promise<PolicyVersion> {
  const [row] = await db.select().from(usagePolicyVersions).orderBy(desc(usagePolicyVersions.version)).limit(1);
  if (!row) return DEFAULT_POLICY_VERSION;
  // Rows are validated on write; a parse here guards against a hand-edited row.
  const parsed = usagePolicySchema.safeParse(row.policy);
  if (!parsed.success) throw new Error(`usage policy version ${row.version} does not validate`);
  return { version: row.version, policy: parsed.data, createdBy: row.createdBy, createdAt: row.createdAt };
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  return e?.code === "23505" || e?.cause?.code === "23505";
}

/** How long a read policy is reused; a change takes at most this long to reach a process. */
export const POLICY_CACHE_MS = 5_000;

const cache = new WeakMap<Db, { at: number; value: Promise<PolicyVersion> }>();

/** The current policy, cached per database handle for POLICY_CACHE_MS. */
export async function currentPolicy(db: Db, now: number = Date.now()): Promise<PolicyVersion> {
  const hit = cache.get(db);
  if (hit && now - hit.at < POLICY_CACHE_MS) return hit.value;
  const value = readCurrentPolicy(db);
  cache.set(db, { at: now, value });
  value.catch(() => cache.delete(db));
  return value;
}

/** After a save in this process: the next read goes to the database. */
export function forgetCachedPolicy(db: Db): void {
  cache.delete(db);
}

/**
 * An admin saves a new policy. The input is validated in full first; on any
 * error nothing is written and the old version stays in force. The new
 * version and its audit entry (before and after) are one transaction.
 */
export async function savePolicyByAdmin(db: Db, actorId: string, input: unknown): Promise<PolicyVersion> {
  const actor = await requireAdmin(db, actorId);
  const parsed = usagePolicySchema.safeParse(input);
  if (!parsed.success) {
    throw new AppError("policy-invalid", "invalid", "Bitte prüfen Sie die markierten Felder. Die bisherige Richtlinie bleibt in Kraft.", policyFieldErrors(parsed.error));
  }
  const saved = await db.transaction(async (tx) => {
    const before = await readCurrentPolicy(tx as unknown as Db);
    if (JSON.stringify(before.policy) === JSON.stringify(parsed.data)) {
      throw new AppError("policy-unchanged", "invalid", "Die Richtlinie ist unverändert; es wurde keine neue Version gespeichert.");
    }
    // The primary key makes two simultaneous saves of the same next version fail instead of both winning.
    const [row] = await tx
      .insert(usagePolicyVersions)
      .values({ version: before.version + 1, policy: parsed.data, createdBy: actor.id })
      .returning();
    await tx.insert(auditLog).values({
      actor: actor.id,
      action: "policy.changed",
      subject: `usage-policy:${row!.version}`,
      details: { previousVersion: before.version, version: row!.version, before: before.policy, after: parsed.data },
    });
    return { version: row!.version, policy: parsed.data, createdBy: actor.id, createdAt: row!.createdAt };
  }).catch((err: unknown) => {
    if (isUniqueViolation(err)) {
      throw new AppError("policy-conflict", "conflict", "Gerade wurde eine andere Fassung gespeichert. Bitte laden Sie die Seite neu und prüfen Sie sie.");
    }
    throw err;
  });
  forgetCachedPolicy(db);
  return saved;
}

/** One stored version (0: the defaults); null when it does not exist. */
export async function readPolicyVersion(db: Db, version: number): Promise<PolicyVersion | null> {
  if (version === 0) return DEFAULT_POLICY_VERSION;
  const [row] = await db.select().from(usagePolicyVersions).where(eq(usagePolicyVersions.version, version));
  if (!row) return null;
  return { version: row.version, policy: usagePolicySchema.parse(row.policy), createdBy: row.createdBy, createdAt: row.createdAt };
}
