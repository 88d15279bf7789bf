import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Person } from "@/drizzle/schema";
import { createTestDb, DB_SETUP_MS, type TestDb } from "@/lib/db/testing/test-db";
import { fakeHomeserver, type FakeHomeserver } from "@/lib/people/testing/fake-homeserver";
import { insertPerson, testLeaverDeps } from "@/lib/people/testing/seed";

const state = vi.hoisted(() => ({ db: null as unknown, person: null as unknown, hs: null as unknown }));
vi.mock("@/lib/portal/runtime", () => ({ portalRuntime: () => ({ db: state.db, log: { warn: () => {} } }) }));
vi.mock("@/lib/auth/current-session", () => ({ currentSession: async () => (state.person ? { person: state.person } : null) }));
vi.mock("@/lib/auth/leavers", async (original) => ({
  ...(await original<object>()),
  portalLeaverDeps: () => testLeaverDeps(state.db as TestDb["db"], state.hs as FakeHomeserver),
}));

const { GET } = await import("./route");

let t: TestDb;
let anna: Person;
let bernd: Person;
beforeAll(async () => {
  t = await createTestDb();
  state.db = t.db;
  anna = await insertPerson(t.db, { subject: "a", displayName: "Anna Admin", role: "admin" });
  bernd = await insertPerson(t.db, { subject: "idp-bernd", displayName: "Bernd Bauer", email: "bernd@stadt.example" });
}, DB_SETUP_MS);
afterAll(() => t?.close());

const get = (personId: string) => GET(new Request(`http://portal.test/admin/people/${personId}/auskunft`), { params: Promise.resolve({ personId }) });

describe("GET /admin/people/<id>/auskunft", () => {
  it("downloads the person's data as a JSON attachment named by id", async () => {
    state.person = anna;
    state.hs = fakeHomeserver({});
    const res = await get(bernd.id);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(new RegExp(`^attachment; filename="auskunft-${bernd.id}-\\d{4}-\\d{2}-\\d{2}\\.json"$`));
    expect(await res.json()).toMatchObject({ format: "stadtfunk.data-subject-export/1", person: { email: "bernd@stadt.example" }, homeserver: null });
  });

  it("answers 503 with a message when the homeserver cannot be asked", async () => {
    state.person = anna;
    const hs = fakeHomeserver({});
    hs.setDown(true);
    state.hs = hs;
    const res = await get(bernd.id);
    expect(res.status).toBe(503);
    expect((await res.json()).error).toMatch(/nicht erreichbar/);
  });

  it.each([
    ["not-a-uuid", 400],
    ["00000000-0000-4000-8000-000000000000", 404],
  ])("answers %s with %i", async (id, status) => {
    state.person = anna;
    state.hs = fakeHomeserver({});
    expect((await get(id)).status).toBe(status);
  });

  it("is 401 signed out and 403 for staff", async () => {
    state.person = null;
    expect((await get(bernd.id)).status).toBe(401);
    state.person = bernd;
    expect((await get(anna.id)).status).toBe(403);
  });
});
