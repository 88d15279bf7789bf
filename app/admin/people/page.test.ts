import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Person } from "@/drizzle/schema";
import { createTestDb, DB_SETUP_MS, type TestDb } from "@/lib/db/testing/test-db";
import { insertPerson } from "@/lib/people/testing/seed";

/** The people page rendered as the server renders it, on a test database; session and shell stubbed. */

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

const { default: AdminPeoplePage } = await import("./page");

let t: TestDb;
let anna: Person;
let bernd: Person;
let erased: Person;
beforeAll(async () => {
  t = await createTestDb();
  state.db = t.db;
  anna = await insertPerson(t.db, { subject: "a", displayName: "Anna Admin", role: "admin" });
  bernd = await insertPerson(t.db, { subject: "b", displayName: "Bernd Bauer" });
  erased = await insertPerson(t.db, { subject: "erased:x", displayName: "Gelöschte Person", disabledAt: new Date() });
  state.person = anna;
}, DB_SETUP_MS);
afterAll(() => t?.close());

const render = async (search: Record<string, string>) =>
  renderToStaticMarkup(await AdminPeoplePage({ searchParams: Promise.resolve(search) }));

function rowOf(html: string, name: string): string {
  const start = html.indexOf(`>${name}</th>`);
  return html.slice(start, html.indexOf("</tr>", start));
}

describe("/admin/people: data-subject requests", () => {
  it("offers the export for everyone and erasure for others who are not yet erased", async () => {
    const html = await render({});
    expect(rowOf(html, "Bernd Bauer")).toContain(`href="/admin/people/${bernd.id}/auskunft"`);
    expect(rowOf(html, "Bernd Bauer")).toContain("Daten löschen");
    expect(rowOf(html, "Anna Admin")).toContain(`href="/admin/people/${anna.id}/auskunft"`);
    expect(rowOf(html, "Anna Admin")).not.toContain("Daten löschen");
    expect(rowOf(html, "Gelöschte Person")).toContain("Daten gelöscht");
    expect(rowOf(html, "Gelöschte Person")).not.toContain("Daten löschen");
  });

  it("asks for confirmation before erasing, never for oneself or the erased", async () => {
    const confirm = await render({ loeschen: bernd.id });
    expect(confirm).toContain("Alle Daten von Bernd Bauer löschen?");
    expect(confirm).toContain('<input type="checkbox" required="" name="bestaetigt" value="ja"/>');
    for (const id of [anna.id, erased.id]) expect(await render({ loeschen: id })).not.toContain("endgültig löschen");
  });

  it("explains a homeserver failure", async () => {
    expect(await render({ fehler: "chatserver" })).toContain("Es wurde nichts als gelöscht markiert");
  });
});
