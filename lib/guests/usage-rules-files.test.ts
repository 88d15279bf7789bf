import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, DB_SETUP_MS, type TestDb } from "../db/testing/test-db";
import { currentUsageRules, publishUsageRules } from "./usage-rules";
import { USAGE_RULES_FILES, readUsageRulesDir } from "./usage-rules-files";

function rulesDir(overrides: Partial<Record<keyof typeof USAGE_RULES_FILES, string | null>> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stadtfunk-rules-"));
  for (const [key, file] of Object.entries(USAGE_RULES_FILES)) {
    const body = key in overrides ? overrides[key as keyof typeof USAGE_RULES_FILES] : `${key}: Bitte verhalten Sie sich respektvoll. Version 2.`;
    if (body !== null && body !== undefined) fs.writeFileSync(path.join(dir, file), body);
  }
  return dir;
}

describe("publishing usage rules from files", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  }, DB_SETUP_MS);
  afterAll(() => t?.close());

  it("publishes the next version, which guests then accept", async () => {
    const before = await currentUsageRules(t.db);
    const published = await publishUsageRules(t.db, readUsageRulesDir(rulesDir()), null);
    expect(published.version).toBe(before.version + 1);
    expect((await currentUsageRules(t.db)).textDe).toContain("Version 2");
  });

  it.each([
    [{ privacyEn: null }, /privacy\.en\.md: missing/],
    [{ textDe: "zu kurz" }, /nutzungsregeln\.de\.md: is too short/],
  ])("names the file that is missing or wrong (%j)", (overrides, message) => {
    expect(() => readUsageRulesDir(rulesDir(overrides))).toThrow(message);
  });
});
