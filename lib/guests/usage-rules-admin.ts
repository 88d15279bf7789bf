import { z } from "zod";
import { auditLog, type UsageRules } from "../../drizzle/schema";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { requireAdmin } from "../people/admin-access";
import { currentUsageRules, publishUsageRules, type UsageRulesTexts } from "./usage-rules";

/** The admin form's four fields, with messages an editor understands. */
const germanText = (what: string) =>
  z
    .string()
    .trim()
    .min(20, `${what}: zu kurz (mindestens 20 Zeichen).`)
    .max(50_000, `${what}: länger als 50.000 Zeichen.`);

export const usageRulesForm = z.object({
  textDe: germanText("Nutzungsregeln (Deutsch)"),
  textEn: germanText("Nutzungsregeln (Englisch)"),
  privacyDe: germanText("Datenschutzhinweis (Deutsch)"),
  privacyEn: germanText("Datenschutzhinweis (Englisch)"),
});

const unchanged = (a: UsageRulesTexts, b: UsageRulesTexts) =>
  a.textDe === b.textDe && a.textEn === b.textEn && a.privacyDe === b.privacyDe && a.privacyEn === b.privacyEn;

/**
 * An admin publishes a new version from the portal. Everyone who accepted an
 * older version accepts again on their next visit; older acceptances keep
 * naming their version. An unchanged text is refused, so a double submit does
 * not force everyone to accept the same words twice.
 */
export async function publishUsageRulesByAdmin(db: Db, actorId: string, texts: UsageRulesTexts): Promise<UsageRules> {
  const actor = await requireAdmin(db, actorId);
  return db.transaction(async (tx) => {
    const before = await currentUsageRules(tx as unknown as Db);
    if (unchanged(before, texts)) {
      throw new AppError("rules-unchanged", "invalid", "Die Texte sind unverändert; es wurde keine neue Version veröffentlicht.");
    }
    const published = await publishUsageRules(tx as unknown as Db, texts, actor.id);
    await tx.insert(auditLog).values({
      actor: actor.id,
      action: "rules.published",
      subject: `usage-rules:${published.version}`,
      details: {
        previousVersion: before.version,
        version: published.version,
        changed: (Object.keys(texts) as (keyof UsageRulesTexts)[]).filter((k) => texts[k] !== before[k]),
      },
    });
    return published;
  });
}
