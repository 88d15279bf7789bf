import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The audit log is append-only: no code of the portal or the bots may change
 * or delete its entries. The one exception is the erasure of a person
 * (GDPR Art. 17), which replaces that person's identifiers inside entry
 * details with their pseudonymous id.
 */

const ROOT = path.resolve(import.meta.dirname, "../..");
const ALLOWED = new Set(["lib/privacy/audit-pseudonyms.ts"]);
const WRITES = [/\.(update|delete)\(\s*auditLog\b/, /\b(update|delete\s+from|truncate(\s+table)?)\s+"?audit_log\b/i];

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "testing" || entry.name === "node_modules" ? [] : sourceFiles(rel);
    return /\.(ts|tsx|mjs|sql)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [rel] : [];
  });
}

describe("the audit log stays append-only", () => {
  it("has no update or delete path outside the erasure's pseudonymisation", () => {
    const offenders = ["app", "lib", "bots", "scripts"]
      .flatMap(sourceFiles)
      .filter((file) => !ALLOWED.has(file.split(path.sep).join("/")))
      .filter((file) => {
        const text = readFileSync(path.join(ROOT, file), "utf8");
        return WRITES.some((re) => re.test(text));
      });
    expect(offenders).toEqual([]);
  });

  it("recognises the forms such a path would take", () => {
    for (const code of ["db.update(auditLog).set({})", "tx.delete(auditLog)", 'delete from "audit_log"', "UPDATE audit_log SET", "truncate audit_log"]) {
      expect(WRITES.some((re) => re.test(code))).toBe(true);
    }
    expect(WRITES.some((re) => re.test("db.insert(auditLog).values({})"))).toBe(false);
  });
});
