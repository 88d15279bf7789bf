import { desc, sql } from "drizzle-orm";
import { z } from "zod";
import { usageRules, type UsageRules } from "../../drizzle/schema";
import type { Db } from "../db/client";

/** The version guests accept now: the highest one. */
export async function currentUsageRules(db: Db): Promise<UsageRules> {
  const [rules] = await db.select().from(usageRules).orderBy(desc(usageRules.version)).limit(1);
  // The guests migration seeds version 1, so this only fails on a database that was never migrated.
  if (!rules) throw new Error("no usage rules in the database (migrations not applied?)");
  return rules;
}

export interface RulesForGuests {
  version: number;
  de: { rules: string; privacy: string };
  en: { rules: string; privacy: string };
}

/** `{stadt}` in the stored texts becomes the city's name. */
export function rulesForGuests(rules: UsageRules, cityName: string): RulesForGuests {
  const fill = (t: string) => t.replaceAll("{stadt}", cityName);
  return {
    version: rules.version,
    de: { rules: fill(rules.textDe), privacy: fill(rules.privacyDe) },
    en: { rules: fill(rules.textEn), privacy: fill(rules.privacyEn) },
  };
}

/** One rules or privacy text: long enough to be real, short enough to show on a phone. */
export const usageRulesText = z
  .string()
  .trim()
  .min(20, "is too short to be a rules text")
  .max(50_000, "is longer than 50,000 characters");

export interface UsageRulesTexts {
  textDe: string;
  textEn: string;
  privacyDe: string;
  privacyEn: string;
}

/**
 * Publishes a new version (the next number); guests accept it from now on,
 * and acceptances of older versions keep naming theirs. Only admins may call
 * this (checked by the caller's edge).
 */
export async function publishUsageRules(db: Db, texts: UsageRulesTexts, createdBy: string | null): Promise<UsageRules> {
  const [row] = await db
    .insert(usageRules)
    .values({ ...texts, createdBy, version: sql`(select coalesce(max(${usageRules.version}), 0) + 1 from ${usageRules})` })
    .returning();
  return row!;
}
