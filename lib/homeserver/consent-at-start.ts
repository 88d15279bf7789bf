import { and, eq, isNotNull } from "drizzle-orm";
import { people } from "../../drizzle/schema";
import { staffRulesAcceptances } from "../../drizzle/tables/staff-consent";
import type { AppConfig } from "../config/load";
import type { Db } from "../db/client";
import { currentUsageRules } from "../guests/usage-rules";
import type { Logger } from "../log";
import type { HomeserverConsent } from "../policy/staff-consent";
import { recordConsentOnHomeserver, writeConsentTemplates } from "./consent";
import { consentTemplateDir } from "./homeserver-files";

/**
 * Synapse reads the consent version only at its start, so the start reads
 * the current usage rules from the database and writes the consent form for
 * them. Returns the version for homeserverFilesFromConfig, or undefined when
 * consent tracking is off (HOMESERVER_CONSENT). A rules version published
 * later takes effect on the homeserver at its next start.
 */
export async function prepareConsentForStart(
  db: Db,
  config: Pick<AppConfig, "cityName"> & { matrix: Pick<AppConfig["matrix"], "consentTracking"> },
  dataDir: string,
): Promise<number | undefined> {
  if (!config.matrix.consentTracking) return undefined;
  const rules = await currentUsageRules(db);
  await writeConsentTemplates(consentTemplateDir(dataDir), rules, config.cityName);
  return rules.version;
}

/**
 * Tells the homeserver about every acceptance of `version` made in the
 * portal. Acceptances given while consent tracking was off were never
 * recorded there (the form answered 404), and people who accepted must not
 * be blocked in Element after the switch is turned on. Returns how many
 * accounts the homeserver recorded; accounts it does not know are skipped.
 */
export async function recordPortalAcceptances(
  db: Db,
  homeserver: HomeserverConsent,
  version: number,
  log: Logger,
  fetchFn: typeof fetch = fetch,
): Promise<number> {
  const rows = await db
    .select({ matrixUserId: people.matrixUserId })
    .from(staffRulesAcceptances)
    .innerJoin(people, eq(people.id, staffRulesAcceptances.personId))
    .where(and(eq(staffRulesAcceptances.rulesVersion, version), isNotNull(people.matrixUserId)));
  let recorded = 0;
  for (const { matrixUserId } of rows) {
    try {
      await recordConsentOnHomeserver(homeserver.homeserverUrl, homeserver.formSecret, matrixUserId!, version);
      recorded++;
    } catch (err) {
      log.warn({ err, matrixUserId, version }, "acceptance not recorded on the homeserver");
    }
  }
  return recorded;
}
