import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, DB_SETUP_MS, type TestDb } from "../db/testing/test-db";
import { currentUsageRules, rulesForGuests } from "../guests/usage-rules";
import { currentRetentionPolicy, DEFAULT_RETENTION_POLICY, saveRetentionPolicy } from "./retention-policy";
import { withRetentionNotice, withRetentionParagraph } from "./retention-notice";

describe("the privacy notice's retention periods come from the retention policy", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  }, DB_SETUP_MS);
  afterAll(async () => t?.close());

  it("replaces the shipped notice's retention paragraph with the numbers of the policy in force", async () => {
    const saved = await saveRetentionPolicy(
      t.db,
      { ...DEFAULT_RETENTION_POLICY, meetingDeleteAfterDays: 45, meetingWarnDaysBefore: 5, guestEraseAfterDays: 3, teamDeleteAfterDays: 200, postponeDays: 14, messageRetentionDays: 90 },
      null,
    );
    expect(saved.ok).toBe(true);
    const policy = await currentRetentionPolicy(t.db);
    const shown = withRetentionNotice(rulesForGuests(await currentUsageRules(t.db), "Musterstadt"), policy);

    expect(shown.de.privacy).toContain("3 Tage danach werden Ihr Anzeigename und Ihr Konto gelöscht");
    expect(shown.de.privacy).toContain("Besprechungsräume werden 45 Tage nach dem Termin gelöscht, Teamräume nach 200 Tagen");
    expect(shown.de.privacy).toContain("einmal um 14 Tage verschieben");
    expect(shown.de.privacy).toContain("Nachrichten werden nach 90 Tagen gelöscht");
    expect(shown.en.privacy).toContain("3 days later your display name and account are deleted");
    expect(shown.en.privacy).toContain("Meeting rooms are deleted 45 days after the meeting");
    // The shipped vague wording is gone, exactly one retention paragraph remains.
    expect(shown.de.privacy).not.toContain("nach dem Löschkonzept der Stadt");
    expect(shown.de.privacy.match(/^Speicherdauer:/gm)).toHaveLength(1);
    expect(shown.en.privacy.match(/^Retention:/gm)).toHaveLength(1);
  });

  it("fills a placeholder, or appends the paragraph to a notice that has none", () => {
    const p = DEFAULT_RETENTION_POLICY;
    expect(withRetentionParagraph("Vorspann\n\n{aufbewahrung}\n\nRechte", p, "de")).toMatch(/^Vorspann\n\nSpeicherdauer: .* 7 Tage danach .*\n\nRechte$/s);
    expect(withRetentionParagraph("Intro only.", p, "en")).toMatch(/^Intro only\.\n\nRetention: .*30 days after the meeting/s);
  });
});
