import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Person } from "@/drizzle/schema";
import { createTestDb, DB_SETUP_MS, type TestDb } from "@/lib/db/testing/test-db";
import { insertPerson } from "@/lib/people/testing/seed";

/** The deletion plan download on a test database; the session is stubbed, and no homeserver is asked for activity. */

const state = vi.hoisted(() => ({ db: null as unknown, person: null as unknown }));
vi.mock("@/lib/portal/runtime", () => ({ portalRuntime: () => ({ db: state.db, config: {} }) }));
vi.mock("@/lib/auth/current-session", () => ({ currentSession: async () => (state.person ? { person: state.person } : null) }));
vi.mock("@/lib/lifecycle/retention-admin", async (actual) => ({
  ...(await actual<typeof import("@/lib/lifecycle/retention-admin")>()),
  portalLastActivity: () => async () => null,
}));

const { GET } = await import("./route");

let t: TestDb;
let anna: Person;
let bernd: Person;
beforeAll(async () => {
  t = await createTestDb();
  state.db = t.db;
  anna = await insertPerson(t.db, { subject: "a", displayName: "Anna Admin", role: "admin" });
  bernd = await insertPerson(t.db, { subject: "b", displayName: "Bernd Bauer" });
}, DB_SETUP_MS);
afterAll(() => t?.close());

describe("GET /admin/aufbewahrung/bericht.csv", () => {
  it("downloads the deletion plan as a CSV attachment for admins", async () => {
    state.person = anna;
    const res = await GET();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="loeschplan-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("is 401 signed out and 403 for staff, with a message and nothing cached", async () => {
    state.person = null;
    const signedOut = await GET();
    expect(signedOut.status).toBe(401);
    expect(await signedOut.json()).toEqual({ error: "Bitte melden Sie sich an." });
    state.person = bernd;
    const staff = await GET();
    expect(staff.status).toBe(403);
    expect(staff.headers.get("cache-control")).toBe("no-store");
    expect(await staff.json()).toEqual({ error: "Dafür brauchen Sie die Rolle Administration." });
  });
});
