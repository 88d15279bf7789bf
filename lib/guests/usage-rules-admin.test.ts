import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, people } from "../../drizzle/schema";
import { useTestDb } from "../db/testing/test-db";
import { insertPerson } from "../people/testing/seed";
import { currentUsageRules } from "./usage-rules";
import { publishUsageRulesByAdmin, usageRulesForm } from "./usage-rules-admin";

const t = useTestDb();

const texts = (marker: string) => ({
  textDe: `Bitte verhalten Sie sich respektvoll. ${marker}`,
  textEn: `Please be respectful to each other. ${marker}`,
  privacyDe: `Wir speichern Ihren Anzeigenamen. ${marker}`,
  privacyEn: `We store your display name only. ${marker}`,
});

describe("admins publishing usage rules", () => {
  it("publishes the next version with an audit entry naming what changed", async () => {
    await t.db.delete(auditLog);
    await t.db.delete(people);
    const anna = await insertPerson(t.db, { subject: "a", displayName: "Anna Admin", role: "admin" });
    const before = await currentUsageRules(t.db);
    const published = await publishUsageRulesByAdmin(t.db, anna.id, texts("v-next"));
    expect(published.version).toBe(before.version + 1);
    expect(published.createdBy).toBe(anna.id);
    expect((await currentUsageRules(t.db)).textEn).toContain("v-next");
    const [entry] = await t.db.select().from(auditLog).where(eq(auditLog.action, "rules.published"));
    expect(entry).toMatchObject({ actor: anna.id, subject: `usage-rules:${published.version}` });
    expect(entry!.details).toMatchObject({ previousVersion: before.version, version: published.version });
    expect((entry!.details as { changed: string[] }).changed.sort()).toEqual(["privacyDe", "privacyEn", "textDe", "textEn"]);
  });

  it("refuses staff, and an unchanged text, without publishing anything", async () => {
    const bernd = await insertPerson(t.db, { subject: "b", displayName: "Bernd Bauer" });
    const anna = (await t.db.select().from(people).where(eq(people.subject, "a")))[0]!;
    const before = await currentUsageRules(t.db);
    await expect(publishUsageRulesByAdmin(t.db, bernd.id, texts("staff"))).rejects.toMatchObject({ code: "not-admin" });
    const same = { textDe: before.textDe, textEn: before.textEn, privacyDe: before.privacyDe, privacyEn: before.privacyEn };
    await expect(publishUsageRulesByAdmin(t.db, anna.id, same)).rejects.toMatchObject({ code: "rules-unchanged", status: 400 });
    expect((await currentUsageRules(t.db)).version).toBe(before.version);
  });

  it("names the field that is too short or too long", () => {
    const result = usageRulesForm.safeParse({ ...texts("x"), privacyEn: "short", textDe: "x".repeat(50_001) });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => [i.path[0], i.message]);
    expect(paths).toEqual([
      ["textDe", "Nutzungsregeln (Deutsch): länger als 50.000 Zeichen."],
      ["privacyEn", "Datenschutzhinweis (Englisch): zu kurz (mindestens 20 Zeichen)."],
    ]);
  });
});
