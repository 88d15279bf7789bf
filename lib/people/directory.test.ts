import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DB_SETUP_MS, createTestDb, type TestDb } from "../db/testing/test-db";
import { insertPerson } from "./testing/seed";
import { containsPattern, directoryQuerySchema, searchDirectory } from "./directory";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
  const add = (username: string, displayName: string, departments: string[], extra = {}) =>
    insertPerson(t.db, { subject: `sub-${username}`, username, displayName, departments, ...extra });
  await add("anna.admin", "Anna Admin", ["it"], { role: "admin", matrixUserId: "@anna.admin:s.test" });
  await add("bernd.bauamt", "Bernd Bauer", ["bauamt"]);
  await add("dieter.bauamt", "Dieter Dach", ["bauamt"]);
  await add("clara.kaemmerei", "Clara Kämmerer", ["kaemmerei"]);
  await add("gerd.gone", "Gerd Gegangen", ["bauamt"], { disabledAt: new Date() });
  await add("percent", "100% Sicher_heit", ["it"]);
}, DB_SETUP_MS);
afterAll(() => t.close());

const names = async (q: Parameters<typeof searchDirectory>[1]) => (await searchDirectory(t.db, q)).people.map((p) => p.displayName);

describe("searchDirectory", () => {
  it("lists enabled people by name, never disabled ones", async () => {
    expect(await names({})).toEqual(["100% Sicher_heit", "Anna Admin", "Bernd Bauer", "Clara Kämmerer", "Dieter Dach"]);
  });

  it.each([
    [{ department: "bauamt" }, ["Bernd Bauer", "Dieter Dach"]],
    [{ q: "dach" }, ["Dieter Dach"]],
    [{ q: "bauamt" }, ["Bernd Bauer", "Dieter Dach"]],
    [{ q: "KÄMM" }, ["Clara Kämmerer"]],
    [{ q: "bernd bauer" }, ["Bernd Bauer"]],
    [{ q: "bernd dach" }, []],
    [{ q: "d", department: "bauamt" }, ["Bernd Bauer", "Dieter Dach"]],
    [{ q: "gerd" }, []],
    [{ department: "bau" }, []],
    [{ q: "%" }, ["100% Sicher_heit"]],
    [{ q: "_" }, ["100% Sicher_heit"]],
  ])("%j → %j", async (query, expected) => {
    expect(await names(query)).toEqual(expected);
  });

  it("pages with a total", async () => {
    const first = await searchDirectory(t.db, { pageSize: 2 });
    const second = await searchDirectory(t.db, { pageSize: 2, page: 2 });
    expect(first).toMatchObject({ page: 1, pageSize: 2, total: 5 });
    expect([...first.people, ...second.people].map((p) => p.displayName)).toEqual([
      "100% Sicher_heit",
      "Anna Admin",
      "Bernd Bauer",
      "Clara Kämmerer",
    ]);
  });

  it("returns what a participant picker needs and no more", async () => {
    const { people } = await searchDirectory(t.db, { q: "anna" });
    expect(people).toEqual([
      { id: expect.any(String), displayName: "Anna Admin", username: "anna.admin", departments: ["it"], matrixUserId: "@anna.admin:s.test" },
    ]);
  });
});

describe("directoryQuerySchema", () => {
  it.each([
    [{ pageSize: "500" }],
    [{ pageSize: "0" }],
    [{ page: "-1" }],
    [{ page: "abc" }],
    [{ q: "x".repeat(101) }],
    [{ department: ["a", "b"] }],
  ])("rejects %j", (input) => {
    expect(directoryQuerySchema.safeParse(input).success).toBe(false);
  });

  it("trims and drops empty filters", () => {
    expect(directoryQuerySchema.parse({ q: "  ", department: " bauamt " })).toEqual({ q: undefined, department: "bauamt", page: 1, pageSize: 20 });
  });

  it("escapes LIKE wildcards", () => {
    expect(containsPattern("50%_a\\b")).toBe("%50\\%\\_a\\\\b%");
  });
});
