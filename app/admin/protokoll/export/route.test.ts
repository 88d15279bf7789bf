import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { NextRequest } from "next/server";
import { auditLog, type Person } from "@/drizzle/schema";
import { createTestDb, DB_SETUP_MS, type TestDb } from "@/lib/db/testing/test-db";
import { insertPerson } from "@/lib/people/testing/seed";

const state = vi.hoisted(() => ({ db: null as unknown, person: null as unknown }));
vi.mock("@/lib/portal/runtime", () => ({ portalRuntime: () => ({ db: state.db }) }));
vi.mock("@/lib/auth/current-session", () => ({ currentSession: async () => (state.person ? { person: state.person } : null) }));

const { GET } = await import("./route");

let t: TestDb;
let anna: Person;
beforeAll(async () => {
  t = await createTestDb();
  state.db = t.db;
  anna = await insertPerson(t.db, { subject: "a", displayName: "Anna Admin", role: "admin" });
  await t.db.insert(auditLog).values({ actor: "system", action: "policy.widget-removed", subject: "=HYPERLINK(1)" });
}, DB_SETUP_MS);
afterAll(() => t?.close());

const get = (query: string) => GET(new NextRequest(`http://portal.test/admin/protokoll/export${query}`));

describe("GET /admin/protokoll/export", () => {
  it("downloads the filtered log as a CSV attachment", async () => {
    state.person = anna;
    const res = await get("?aktion=policy.");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="protokoll-policy\.?-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const csv = await res.text();
    expect(csv).toContain("Fremdes Widget entfernt");
    expect(csv).toContain("'=HYPERLINK(1)");
  });

  it.each([
    ["?von=2026-02-30", 400],
    ["?von=2026-03-05&bis=2026-03-01", 400],
  ])("refuses the filter %s with %i", async (query, status) => {
    state.person = anna;
    const res = await get(query);
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ error: "Ungültiger Filter." });
  });

  it("is 401 signed out and 403 for staff", async () => {
    state.person = null;
    expect((await get("")).status).toBe(401);
    state.person = await insertPerson(t.db, { subject: "b", displayName: "Bernd Bauer" });
    const res = await get("");
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: "Dafür brauchen Sie die Rolle Administration." });
  });
});
