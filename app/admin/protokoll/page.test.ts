import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { auditLog, type Person } from "@/drizzle/schema";
import { createTestDb, DB_SETUP_MS, type TestDb } from "@/lib/db/testing/test-db";
import { insertPerson } from "@/lib/people/testing/seed";

/** The page rendered as the server renders it, on a test database; session and shell stubbed. */

const state = vi.hoisted(() => ({ db: null as unknown, person: null as unknown }));
vi.mock("@/lib/portal/runtime", () => ({ portalRuntime: () => ({ config: { cityName: "Musterstadt" }, db: state.db }) }));
vi.mock("@/lib/auth/current-session", () => ({ currentSession: async () => (state.person ? { person: state.person } : null) }));
vi.mock("../../_components/page-shell", () => ({ PageShell: ({ children }: { children: unknown }) => children }));
vi.mock("next/navigation", () => ({
  forbidden: () => {
    throw new Error("forbidden");
  },
  redirect: (to: string) => {
    throw new Error(`redirect ${to}`);
  },
}));

const { default: AuditTrailPage } = await import("./page");

let t: TestDb;
let anna: Person;
beforeAll(async () => {
  t = await createTestDb();
  state.db = t.db;
  anna = await insertPerson(t.db, { subject: "a", displayName: "Anna Admin", role: "admin" });
  await t.db.insert(auditLog).values([
    { at: new Date("2026-03-02T09:00:00Z"), actor: `person:${anna.id}`, action: "person.offboarded", subject: anna.id, details: { reason: "admin-action" } },
    { at: new Date("2026-03-03T09:00:00Z"), actor: "@_stadtfunk_bot:stadtfunk.test", action: "lifecycle.something-new", subject: "!r:stadtfunk.test" },
  ]);
}, DB_SETUP_MS);
afterAll(() => t?.close());

async function render(search: Record<string, string>) {
  return renderToStaticMarkup(await AuditTrailPage({ searchParams: Promise.resolve(search) }));
}

describe("/admin/protokoll", () => {
  it("shows entries newest first with German labels, names and an export link carrying the filter", async () => {
    state.person = anna;
    const all = await render({});
    expect(all.indexOf("lifecycle.something-new")).toBeLessThan(all.indexOf("Zugang gesperrt"));
    expect(all).toContain(`Anna Admin (person:${anna.id})`);
    const filtered = await render({ aktion: "person.", von: "2026-03-01", bis: "2026-03-02" });
    expect(filtered).toContain("Zugang gesperrt");
    expect(filtered).not.toContain("lifecycle.something-new");
    expect(filtered).toContain('href="/admin/protokoll/export?aktion=person.&amp;von=2026-03-01&amp;bis=2026-03-02"');
  });

  it("shows field errors for a bad filter instead of entries", async () => {
    state.person = anna;
    const html = await render({ von: "2026-03-05", bis: "2026-03-01" });
    expect(html).toContain("Das Ende liegt vor dem Anfang.");
    expect(html).not.toContain("Zugang gesperrt");
  });

  it("is forbidden for staff and sends the signed-out home", async () => {
    state.person = await insertPerson(t.db, { subject: "b", displayName: "Bernd Bauer" });
    await expect(render({})).rejects.toThrow("forbidden");
    state.person = null;
    await expect(render({})).rejects.toThrow("redirect /");
  });
});
