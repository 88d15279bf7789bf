import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { people, rooms, type Person } from "../../drizzle/schema";
import { directorySpaces } from "../../drizzle/tables/directory-spaces";
import { DB_SETUP_MS, createTestDb, type TestDb } from "../db/testing/test-db";
import { AppError } from "../errors";
import { createLogger } from "../log";
import type { DirectorySpaceHomeserver } from "../matrix/directory-space-client";
import { insertPerson } from "../people/testing/seed";
import { fieldErrors } from "../field-errors";
import { checkDepartmentChoice, createRoomInput } from "./create-room-input";
import { resolveJoinRule } from "./open-rooms";

const KEY = "6f1c1c9e-2f4e-4a53-9a54-0e6f3e1e2b11";
const parse = (over: Record<string, unknown>) => createRoomInput.safeParse({ kind: "team", name: "Raum", idempotencyKey: KEY, ...over });

describe("who may join: the form's validation", () => {
  it.each([
    ["a department room without a department", { access: "department" }, { department: "Bitte wählen Sie eine Abteilung." }],
    ["an unknown access value", { access: "public" }, { access: "Bitte wählen Sie, wer beitreten darf." }],
    ["a one-to-one chat open to the city", { kind: "direct", access: "city", inviteLogins: "bernd" }, { access: expect.stringMatching(/Einzelchat/) }],
  ])("rejects %s", (_what, over, errors) => {
    const r = parse(over);
    expect(r.success).toBe(false);
    expect(fieldErrors(r.error!)).toMatchObject(errors);
  });

  it("keeps the department only for department rooms", () => {
    expect(parse({ access: "department", department: " bauamt " }).data).toMatchObject({ access: "department", department: "bauamt" });
    expect(parse({ access: "city", department: "bauamt" }).data).toMatchObject({ access: "city", department: null });
    expect(parse({}).data).toMatchObject({ access: "invited", department: null });
  });

  const staff = { role: "staff" as const, departments: ["bauamt"] };
  const admin = { role: "admin" as const, departments: ["it"] };
  it.each([
    ["staff, own department", staff, "bauamt", null],
    ["staff, another department", staff, "kaemmerei", { department: "Sie können einen Raum nur für eine Ihrer eigenen Abteilungen öffnen." }],
    ["admin, any known department", admin, "kaemmerei", null],
    ["admin, an unknown department", admin, "gibtsnicht", { department: "Diese Abteilung ist nicht bekannt." }],
  ])("%s", (_what, organiser, department, expected) => {
    expect(checkDepartmentChoice({ access: "department", department }, organiser, ["bauamt", "kaemmerei"])).toEqual(expected);
  });
});

describe("resolveJoinRule", () => {
  let t: TestDb;
  let clara: Person;
  const created: string[] = [];
  const homeserver: DirectorySpaceHomeserver = {
    createSpace: async (body) => {
      created.push(String(body.name));
      return `!space${created.length}:s.test`;
    },
    invite: async () => {},
    kick: async () => {},
    membershipOf: async () => null,
    joinAsPerson: async () => {},
    joinedRoomsOf: async () => [],
  };
  const deps = () => ({ db: t.db, homeserver, serverName: "s.test", cityName: "Musterstadt", log: createLogger("test", "silent") });

  beforeAll(async () => {
    t = await createTestDb();
  }, DB_SETUP_MS);
  afterAll(() => t.close());
  beforeEach(async () => {
    await t.db.delete(rooms);
    await t.db.delete(people);
    await t.db.delete(directorySpaces);
    created.length = 0;
    clara = await insertPerson(t.db, { subject: "sub-clara", displayName: "Clara Kämmerer", departments: ["kaemmerei"] });
    await insertPerson(t.db, { subject: "sub-bernd", displayName: "Bernd Bauer", departments: ["bauamt"] });
  });

  it("refuses a staff member's choice of another department with a field error, before any space is made", async () => {
    const err = await resolveJoinRule(deps(), clara, { access: "department", department: "bauamt" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ status: 400, fieldErrors: { department: expect.stringMatching(/eigenen Abteilungen/) } });
    expect(created).toEqual([]);
  });

  it("gives a restricted rule over the department's space, created once", async () => {
    const first = await resolveJoinRule(deps(), clara, { access: "department", department: "kaemmerei" });
    const again = await resolveJoinRule(deps(), clara, { access: "department", department: "kaemmerei" });
    expect(first.joinRule).toEqual({ join_rule: "restricted", allow: [{ type: "m.room_membership", room_id: "!space1:s.test" }] });
    expect(again).toEqual(first);
    expect(created).toEqual(["Abteilung kaemmerei"]);
  });

  it("lets an admin open a room to any department the directory knows", async () => {
    const admin = { ...clara, role: "admin" as const };
    const r = await resolveJoinRule(deps(), admin, { access: "department", department: "bauamt" });
    expect(r.joinRule.join_rule).toBe("restricted");
    await expect(resolveJoinRule(deps(), admin, { access: "department", department: "gibtsnicht" })).rejects.toMatchObject({
      fieldErrors: { department: "Diese Abteilung ist nicht bekannt." },
    });
  });

  it("leaves invite-only rooms invite-only, without a space", async () => {
    expect(await resolveJoinRule(deps(), clara, { access: "invited", department: null })).toEqual({
      joinRule: { join_rule: "invite" },
      spaceRoomId: null,
    });
  });
});
