import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Person } from "@/drizzle/schema";
import { createTestDb, DB_SETUP_MS, type TestDb } from "@/lib/db/testing/test-db";
import { AppError } from "@/lib/errors";
import { insertPerson } from "@/lib/people/testing/seed";

/** The admin pages' guard on a test database; only the session and Next's navigation are stubbed. */

const state = vi.hoisted(() => ({ db: null as unknown, person: null as unknown }));
vi.mock("@/lib/portal/runtime", () => ({ portalRuntime: () => ({ db: state.db }) }));
vi.mock("@/lib/auth/current-session", () => ({ currentSession: async () => (state.person ? { person: state.person } : null) }));
vi.mock("next/navigation", () => ({
  forbidden: () => {
    throw new Error("forbidden");
  },
  redirect: (to: string) => {
    throw new Error(`redirect ${to}`);
  },
}));

const { forbiddenUnlessAdmin, requireAdminPage } = await import("./admin-page");

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

describe("admin page guard", () => {
  it("lets an admin in, answers staff with 403 and sends the signed-out home", async () => {
    state.person = anna;
    await expect(requireAdminPage()).resolves.toMatchObject({ person: { id: anna.id } });
    state.person = bernd;
    await expect(requireAdminPage()).rejects.toThrow("forbidden");
    state.person = null;
    await expect(requireAdminPage()).rejects.toThrow("redirect /");
  });

  it("turns only a not-admin refusal into 403", async () => {
    await expect(forbiddenUnlessAdmin(async () => 7)).resolves.toBe(7);
    await expect(forbiddenUnlessAdmin(() => Promise.reject(new AppError("not-admin", "forbidden", "x")))).rejects.toThrow("forbidden");
    await expect(forbiddenUnlessAdmin(() => Promise.reject(new AppError("other", "invalid", "y")))).rejects.toThrow("other: y");
  });
});
