import { and, eq } from "drizzle-orm";
import { auditLog, type Person, type UsageRules } from "../../drizzle/schema";
import { staffRulesAcceptances } from "../../drizzle/tables/staff-consent";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { currentUsageRules } from "../guests/usage-rules";
import { recordConsentOnHomeserver } from "../homeserver/consent";
import { deriveSecret } from "../homeserver/synapse-config";
import type { Logger } from "../log";

/**
 * Staff accept the usage rules in the portal — at their first sign-in and
 * after every new rules version — and the homeserver's consent tracking is
 * told, so the same acceptance counts in Element.
 */

/** The rules the person still has to accept, or null when they accepted the current version. */
export async function rulesToAccept(db: Db, personId: string): Promise<UsageRules | null> {
  const rules = await currentUsageRules(db);
  const [accepted] = await db
    .select({ id: staffRulesAcceptances.id })
    .from(staffRulesAcceptances)
    .where(and(eq(staffRulesAcceptances.personId, personId), eq(staffRulesAcceptances.rulesVersion, rules.version)));
  return accepted ? null : rules;
}

export interface HomeserverConsent {
  homeserverUrl: string;
  /** Synapse's form_secret: the generated configuration derives it from the registration secret. */
  formSecret: string;
}

/** The consent link's key as the generated homeserver configuration sets it; null without the secret. */
export function homeserverConsentFrom(config: { matrix: { homeserverUrl: string; registrationSharedSecret: string } }): HomeserverConsent | null {
  const secret = config.matrix.registrationSharedSecret;
  return secret ? { homeserverUrl: config.matrix.homeserverUrl, formSecret: deriveSecret(secret, "form_secret") } : null;
}

/**
 * Records that `person` accepted rules `version` (only the current one may
 * be accepted: the page may be older than a newly published version), audits
 * it, and marks the Matrix account as consenting. A homeserver without
 * consent tracking answers 404, which counts as done; any other failure is
 * logged and retried at the next acceptance check.
 */
export async function acceptRulesAsStaff(
  deps: { db: Db; homeserver: HomeserverConsent | null; log: Logger },
  person: Pick<Person, "id">,
  matrixUserId: string | null,
  version: number,
): Promise<void> {
  const current = await currentUsageRules(deps.db);
  if (current.version !== version) {
    throw new AppError("rules-outdated", "conflict", "Inzwischen gilt eine neuere Fassung der Nutzungsregeln. Bitte lesen Sie sie und stimmen Sie erneut zu.");
  }
  const [row] = await deps.db
    .insert(staffRulesAcceptances)
    .values({ personId: person.id, rulesVersion: version })
    .onConflictDoNothing()
    .returning();
  if (row) {
    await deps.db.insert(auditLog).values({ actor: person.id, action: "rules.accepted", subject: `usage-rules:${version}`, details: { matrixUserId } });
  }
  await markConsentOnHomeserver(deps, person.id, matrixUserId, version);
}

/** Tells the homeserver about an acceptance it has not heard of yet. */
export async function markConsentOnHomeserver(
  deps: { db: Db; homeserver: HomeserverConsent | null; log: Logger },
  personId: string,
  matrixUserId: string | null,
  version: number,
): Promise<boolean> {
  if (!deps.homeserver || !matrixUserId) return false;
  const where = and(eq(staffRulesAcceptances.personId, personId), eq(staffRulesAcceptances.rulesVersion, version));
  const [row] = await deps.db.select().from(staffRulesAcceptances).where(where);
  if (!row || row.homeserverRecordedAt) return false;
  try {
    await recordConsentOnHomeserver(deps.homeserver.homeserverUrl, deps.homeserver.formSecret, matrixUserId, version);
  } catch (err) {
    if (!(err instanceof Error && /HTTP 404/.test(err.message))) {
      deps.log.warn({ err, personId, version }, "consent not recorded on the homeserver; retried later");
      return false;
    }
  }
  await deps.db.update(staffRulesAcceptances).set({ homeserverRecordedAt: new Date() }).where(where);
  return true;
}
