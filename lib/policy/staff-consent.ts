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

/**
 * The rules the person still has to accept, or null when they accepted the
 * current version. With `homeserverToo`, an acceptance the homeserver has not
 * recorded yet counts as open, so accepting again repairs it.
 */
export async function rulesToAccept(db: Db, personId: string, opts: { homeserverToo?: boolean } = {}): Promise<UsageRules | null> {
  const rules = await currentUsageRules(db);
  const [accepted] = await db
    .select({ id: staffRulesAcceptances.id, homeserverRecordedAt: staffRulesAcceptances.homeserverRecordedAt })
    .from(staffRulesAcceptances)
    .where(and(eq(staffRulesAcceptances.personId, personId), eq(staffRulesAcceptances.rulesVersion, rules.version)));
  if (!accepted) return rules;
  return opts.homeserverToo && !accepted.homeserverRecordedAt ? rules : null;
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
 * logged, and the portal asks again at the next visit (see rulesToAccept).
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
      deps.log.warn({ err, personId, version }, "consent not recorded on the homeserver; asked again at the next visit");
      return false;
    }
  }
  await deps.db.update(staffRulesAcceptances).set({ homeserverRecordedAt: new Date() }).where(where);
  return true;
}

const CONSENT_PROBE_MS = 60_000;
const consentProbe = new Map<string, { at: number; on: Promise<boolean> }>();

/**
 * Whether the homeserver runs consent tracking: its consent form exists
 * (answers anything but 404). Cached for a minute per homeserver, so the
 * dashboard does not ask on every visit.
 */
export function isConsentTrackingOn(homeserverUrl: string, now: number = Date.now(), fetchFn: typeof fetch = fetch): Promise<boolean> {
  const hit = consentProbe.get(homeserverUrl);
  if (hit && now - hit.at < CONSENT_PROBE_MS) return hit.on;
  const on = fetchFn(`${homeserverUrl}/_matrix/consent`, { redirect: "manual", signal: AbortSignal.timeout(5_000) })
    .then(async (res) => {
      await res.arrayBuffer().catch(() => undefined);
      return res.status !== 404;
    })
    .catch(() => false);
  consentProbe.set(homeserverUrl, { at: now, on });
  return on;
}

/**
 * Where a signed-in person goes before the dashboard: to /zustimmung while
 * the homeserver tracks consent and they have not accepted the current
 * rules. Without consent tracking nobody is held up.
 */
export async function mustAcceptRulesFirst(db: Db, homeserverUrl: string, personId: string): Promise<boolean> {
  if (!(await isConsentTrackingOn(homeserverUrl))) return false;
  return (await rulesToAccept(db, personId, { homeserverToo: true })) !== null;
}
