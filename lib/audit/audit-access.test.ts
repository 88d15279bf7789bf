import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog } from "../../drizzle/schema";
import { useTestDb } from "../db/testing/test-db";
import { insertPerson } from "../people/testing/seed";
import { auditCsvForAdmin, auditPageForAdmin } from "./audit-access";
import { auditFilterSchema } from "./audit-query";

const t = useTestDb();

const notAdmin = { code: "not-admin", category: "forbidden" };

describe("who may read the audit log", () => {
  it("admins see entries with names; staff and disabled admins are refused, also for the export", async () => {
    const anna = await insertPerson(t.db, { subject: "a", displayName: "Anna Admin", role: "admin" });
    const bernd = await insertPerson(t.db, { subject: "b", displayName: "Bernd Bauer" });
    const former = await insertPerson(t.db, { subject: "f", displayName: "Frieda Früher", role: "admin", disabledAt: new Date() });
    await t.db.insert(auditLog).values({ actor: `person:${anna.id}`, action: "person.offboarded", subject: bernd.id });

    const page = await auditPageForAdmin(t.db, anna.id, auditFilterSchema.parse({}));
    expect(page.entries.map((e) => e.action)).toEqual(["person.offboarded"]);
    expect(page.names.get(anna.id)).toBe("Anna Admin");
    expect(page.names.get(bernd.id)).toBe("Bernd Bauer");

    for (const who of [bernd, former]) {
      await expect(auditPageForAdmin(t.db, who.id, auditFilterSchema.parse({}))).rejects.toMatchObject(notAdmin);
      await expect(auditCsvForAdmin(t.db, who.id, {})).rejects.toMatchObject(notAdmin);
    }
    expect(await t.db.select().from(auditLog).where(eq(auditLog.action, "audit.exported"))).toEqual([]);

    const csv = await new Response(await auditCsvForAdmin(t.db, anna.id, { action: "person." })).text();
    expect(csv).toContain("Zugang gesperrt");
    const [exported] = await t.db.select().from(auditLog).where(eq(auditLog.action, "audit.exported"));
    expect(exported).toMatchObject({ actor: `person:${anna.id}`, details: { filter: { action: "person." } } });
  });
});
