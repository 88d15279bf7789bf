import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { auditLog, people } from "../../drizzle/schema";
import { listPeopleForAdmin, lockAccessByAdmin, requireAdmin } from "./admin-access";
import { fakeHomeserver } from "./testing/fake-homeserver";
import { insertPerson, testLeaverDeps } from "./testing/seed";
import { useTestDb } from "../db/testing/test-db";

const notAdmin = { code: "not-admin", category: "forbidden" };

const t = useTestDb();

async function seed() {
  await t.db.delete(auditLog);
  await t.db.delete(people);
  const anna = await insertPerson(t.db, { subject: "a", displayName: "Anna Admin", role: "admin" });
  const bernd = await insertPerson(t.db, { subject: "b", displayName: "Bernd Bauer" });
  const former = await insertPerson(t.db, { subject: "f", displayName: "Frieda Früher", role: "admin", disabledAt: new Date() });
  return { anna, bernd, former };
}
let s: Awaited<ReturnType<typeof seed>>;
beforeEach(async () => {
  s = await seed();
});

describe("admin access to people", () => {
  it("checks the admin role in the database: staff and disabled admins are refused", async () => {
    await expect(requireAdmin(t.db, s.anna.id)).resolves.toMatchObject({ id: s.anna.id });
    await expect(requireAdmin(t.db, s.bernd.id)).rejects.toMatchObject(notAdmin);
    await expect(requireAdmin(t.db, s.former.id)).rejects.toMatchObject(notAdmin);
    await expect(listPeopleForAdmin(t.db, s.bernd.id, {})).rejects.toMatchObject(notAdmin);
  });

  it("lists everyone for an admin, disabled people included", async () => {
    const rows = await listPeopleForAdmin(t.db, s.anna.id, {});
    expect(rows.map((r) => [r.displayName, r.disabledAt !== null])).toEqual([
      ["Anna Admin", false],
      ["Bernd Bauer", false],
      ["Frieda Früher", true],
    ]);
    expect((await listPeopleForAdmin(t.db, s.anna.id, { q: "bern" })).map((r) => r.displayName)).toEqual(["Bernd Bauer"]);
  });

  it("locks a person's access and audits the admin as the actor", async () => {
    const out = await lockAccessByAdmin(s.anna.id, s.bernd.id, testLeaverDeps(t.db, fakeHomeserver({})));
    expect(out).toMatchObject({ ok: true, person: { id: s.bernd.id, displayName: "Bernd Bauer" } });
    expect((await t.db.query.people.findFirst({ where: eq(people.id, s.bernd.id) }))?.disabledAt).toBeInstanceOf(Date);
    const [audit] = await t.db.select().from(auditLog);
    expect(audit).toMatchObject({ actor: `person:${s.anna.id}`, subject: s.bernd.id, details: { reason: "admin-action" } });
  });

  it("refuses self-lockout, unknown people and non-admins", async () => {
    const deps = testLeaverDeps(t.db, fakeHomeserver({}));
    await expect(lockAccessByAdmin(s.anna.id, s.anna.id, deps)).resolves.toEqual({ ok: false, reason: "self" });
    await expect(lockAccessByAdmin(s.anna.id, "00000000-0000-4000-8000-000000000000", deps)).resolves.toEqual({
      ok: false,
      reason: "unknown-person",
    });
    await expect(lockAccessByAdmin(s.bernd.id, s.anna.id, deps)).rejects.toMatchObject(notAdmin);
    expect(await t.db.select().from(auditLog)).toEqual([]);
  });
});
