import { beforeEach, describe, expect, it } from "vitest";
import { auditLog } from "../../drizzle/schema";
import { useTestDb } from "../db/testing/test-db";
import { auditCsvStream } from "./audit-export";
import { AUDIT_PAGE_SIZE, allAuditEntries, auditFilterSchema, listAuditEntries } from "./audit-query";

const t = useTestDb();

const parse = (input: Record<string, unknown>) => auditFilterSchema.parse(input);

async function seed() {
  await t.db.insert(auditLog).values([
    // 2026-03-01 00:30 in Berlin is still 2026-02-28 in UTC.
    { at: new Date("2026-02-28T23:30:00Z"), actor: "person:11111111-1111-4111-8111-111111111111", action: "person.offboarded", subject: "p-1" },
    { at: new Date("2026-03-02T09:00:00Z"), actor: "11111111-1111-4111-8111-111111111111", action: "guest-link.created", subject: "link-1" },
    { at: new Date("2026-03-03T09:00:00Z"), actor: "@_stadtfunk_bot:stadtfunk.test", action: "policy.widget-removed", subject: "!room:stadtfunk.test" },
    { at: new Date("2026-03-04T09:00:00Z"), actor: "@_stadtfunk_bot:stadtfunk.test", action: "policy.join-rule-restored", subject: "!room:stadtfunk.test" },
    { at: new Date("2026-03-05T09:00:00Z"), actor: "system", action: "policy_x", subject: "=cmd", details: { name: "@evil" } },
  ]);
}

describe("audit log queries", () => {
  beforeEach(async () => {
    await t.db.delete(auditLog);
    await seed();
  });

  it("lists newest first and filters by action prefix, literally", async () => {
    const all = await listAuditEntries(t.db, parse({}));
    expect(all.entries.map((e) => e.action)).toEqual([
      "policy_x",
      "policy.join-rule-restored",
      "policy.widget-removed",
      "guest-link.created",
      "person.offboarded",
    ]);
    const policy = await listAuditEntries(t.db, parse({ action: "policy." }));
    expect(policy.entries.map((e) => e.action)).toEqual(["policy.join-rule-restored", "policy.widget-removed"]);
    // `_` is a literal underscore, not LIKE's any-character.
    expect((await listAuditEntries(t.db, parse({ action: "policy_" }))).entries.map((e) => e.action)).toEqual(["policy_x"]);
  });

  it("filters by subject, and by actor whether recorded as person:<id> or bare", async () => {
    expect((await listAuditEntries(t.db, parse({ subject: "!room:stadtfunk.test" }))).entries).toHaveLength(2);
    const byPerson = await listAuditEntries(t.db, parse({ actor: "11111111-1111-4111-8111-111111111111" }));
    expect(byPerson.entries.map((e) => e.action)).toEqual(["guest-link.created", "person.offboarded"]);
    const prefixed = await listAuditEntries(t.db, parse({ actor: "person:11111111-1111-4111-8111-111111111111" }));
    expect(prefixed.entries).toHaveLength(2);
  });

  it("filters by whole days in Berlin time, both ends inclusive", async () => {
    const march1 = await listAuditEntries(t.db, parse({ from: "2026-03-01", to: "2026-03-01" }));
    expect(march1.entries.map((e) => e.action)).toEqual(["person.offboarded"]);
    const range = await listAuditEntries(t.db, parse({ from: "2026-03-02", to: "2026-03-04" }));
    expect(range.entries.map((e) => e.action)).toEqual(["policy.join-rule-restored", "policy.widget-removed", "guest-link.created"]);
  });

  it.each([
    [{ from: "2026-13-01" }, "from"],
    [{ from: "gestern" }, "from"],
    [{ from: "2026-03-05", to: "2026-03-01" }, "to"],
    [{ action: "x".repeat(101) }, "action"],
    [{ page: "0" }, "page"],
    [{ page: "abc" }, "page"],
  ])("refuses %j", (input, field) => {
    const r = auditFilterSchema.safeParse(input);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual([field]);
  });

  it("pages through the log without gaps or repeats", async () => {
    await t.db.delete(auditLog);
    const at = new Date("2026-04-01T10:00:00Z");
    // Same instant for all: the id decides the order.
    await t.db.insert(auditLog).values(Array.from({ length: AUDIT_PAGE_SIZE + 3 }, (_, i) => ({ at, actor: "system", action: `test.${i}` })));
    const first = await listAuditEntries(t.db, parse({ page: 1 }));
    const second = await listAuditEntries(t.db, parse({ page: "2" }));
    expect(first.hasMore).toBe(true);
    expect(second.hasMore).toBe(false);
    expect(second.entries).toHaveLength(3);
    const ids = [...first.entries, ...second.entries].map((e) => e.id);
    expect(new Set(ids).size).toBe(AUDIT_PAGE_SIZE + 3);

    const streamed: number[] = [];
    for await (const e of allAuditEntries(t.db, {}, 7)) streamed.push(e.id);
    expect(streamed).toEqual(ids);
  });

  it("exports the filtered view as CSV with a header, labels and disarmed formulas", async () => {
    const bytes = new Uint8Array(await new Response(auditCsvStream(t.db, parse({ action: "policy" }))).arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).trimEnd().split("\r\n");
    expect(lines[0]).toBe("Nr.,Zeitpunkt (UTC),Zeitpunkt (Berlin),Aktion,Bezeichnung,Handelnd,Betroffen,Details");
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain(",policy_x,policy_x,system,'=cmd,");
    expect(lines[1]).toContain('"{""name"":""@evil""}"');
    expect(lines[2]).toContain("2026-03-04T09:00:00.000Z");
    expect(lines[2]).toContain("Beitrittsregel wiederhergestellt");
  });
});
