import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { auditLog, people, portalSessions, rooms } from "../../drizzle/schema";
import { fakeHomeserver, fakeRoomState, type FakeHomeserver } from "../people/testing/fake-homeserver";
import { insertPerson, insertSession, testLeaverDeps } from "../people/testing/seed";
import { useTestDb } from "../db/testing/test-db";
import { offboardPerson } from "./leavers";

const DIETER = "@dieter.bauamt:s.test";
const ANNA = "@anna.admin:s.test";
const BERND = "@bernd.bauamt:s.test";
const enc = encodeURIComponent;

const t = useTestDb();
beforeEach(async () => {
  await t.db.delete(rooms);
  await t.db.delete(auditLog);
  await t.db.delete(people);
});

async function seedDieter(hsOpts: Parameters<typeof fakeHomeserver>[0] = {}) {
  const dieter = await insertPerson(t.db, { subject: "sub-dieter", displayName: "Dieter Dach", departments: ["bauamt"], matrixUserId: DIETER });
  const hs = fakeHomeserver({
    accounts: { [DIETER]: { locked: false, devices: ["PORTAL1", "ELEMENT1"], rooms: [] } },
    ...hsOpts,
  });
  return { dieter, hs, deps: testLeaverDeps(t.db, hs) };
}

describe("offboardPerson", () => {
  it("disables the person, ends portal sessions, locks the Matrix account and deletes every device", async () => {
    const { dieter, hs, deps } = await seedDieter();
    await insertSession(t.db, dieter.id, { matrixToken: "syt_portal_device" });
    await insertSession(t.db, dieter.id);
    const other = await insertPerson(t.db, { subject: "sub-bernd", displayName: "Bernd Bauer" });
    await insertSession(t.db, other.id);

    const result = await offboardPerson(dieter.id, "admin-action", "person:anna", deps);

    expect(result).toMatchObject({ wasDisabled: false, sessionsEnded: 2, matrixUserId: DIETER, matrixLocked: true, devicesDeleted: 2, problems: [] });
    const row = await t.db.query.people.findFirst({ where: eq(people.id, dieter.id) });
    expect(row?.disabledAt).toBeInstanceOf(Date);
    const sessions = await t.db.select().from(portalSessions);
    expect(sessions.filter((s) => s.personId === dieter.id).map((s) => s.revokeReason)).toEqual(["offboarded", "offboarded"]);
    expect(sessions.find((s) => s.personId === other.id)?.revokedAt).toBeNull();
    expect(deps.loggedOutTokens).toEqual(["syt_portal_device"]);

    // Lock before listing devices, so no new login slips in between; every path segment encoded.
    expect(hs.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      `GET /_synapse/admin/v2/users/${enc(DIETER)}`,
      `PUT /_synapse/admin/v2/users/${enc(DIETER)}`,
      `GET /_synapse/admin/v2/users/${enc(DIETER)}/devices`,
      `POST /_synapse/admin/v2/users/${enc(DIETER)}/delete_devices`,
      `GET /_synapse/admin/v1/users/${enc(DIETER)}/joined_rooms`,
    ]);
    expect(hs.calls[1]?.body).toEqual({ locked: true });
    expect(hs.calls[3]?.body).toEqual({ devices: ["PORTAL1", "ELEMENT1"] });
    expect(hs.accounts[DIETER]).toMatchObject({ locked: true, devices: [] });

    const [audit] = await t.db.select().from(auditLog);
    expect(audit).toMatchObject({ actor: "person:anna", action: "person.offboarded", subject: dieter.id });
    expect(audit?.details).toMatchObject({ reason: "admin-action", sessionsEnded: 2, devicesDeleted: 2, matrixLocked: true, problems: [] });
  });

  it("finds an Element-only account through the homeserver's SSO mapping", async () => {
    const clara = await insertPerson(t.db, { subject: "sub/clara", displayName: "Clara Kämmerer" });
    const hs = fakeHomeserver({
      accounts: { "@clara:s.test": { locked: false, devices: ["ELEMENT"], rooms: [] } },
      externalIds: { "sub/clara": "@clara:s.test" },
    });
    const result = await offboardPerson(clara.id, "idp-account-disabled", "system:token-refresh", testLeaverDeps(t.db, hs));
    expect(hs.calls[0]).toEqual({ method: "GET", path: `/_synapse/admin/v1/auth_providers/oidc-stadtfunk/users/${enc("sub/clara")}` });
    expect(result).toMatchObject({ matrixUserId: "@clara:s.test", devicesDeleted: 1, problems: [] });
  });

  it("needs no homeserver changes for someone who never had a Matrix account", async () => {
    const erika = await insertPerson(t.db, { subject: "sub-erika", displayName: "Erika" });
    const hs = fakeHomeserver({});
    const result = await offboardPerson(erika.id, "admin-action", "person:anna", testLeaverDeps(t.db, hs));
    expect(result).toMatchObject({ matrixUserId: null, matrixLocked: false, problems: [] });
    expect(hs.calls.every((c) => c.method === "GET")).toBe(true);
  });

  it("still cuts portal access when the homeserver is down, and a repeat run completes the rest", async () => {
    const { dieter, hs, deps } = await seedDieter();
    await insertSession(t.db, dieter.id);
    hs.setDown(true);
    const first = await offboardPerson(dieter.id, "admin-action", "person:anna", deps);
    expect(first).toMatchObject({ wasDisabled: false, sessionsEnded: 1, matrixLocked: false, problems: ["matrix-account", "rooms"] });

    hs.setDown(false);
    const second = await offboardPerson(dieter.id, "admin-action", "person:anna", deps);
    expect(second).toMatchObject({ wasDisabled: true, sessionsEnded: 0, matrixLocked: true, devicesDeleted: 2, problems: [] });
    const audits = await t.db.select().from(auditLog).orderBy(auditLog.id);
    expect(audits.map((a) => a.details.problems)).toEqual([["matrix-account", "rooms"], []]);
  });

  it("refuses an unknown person", async () => {
    const { deps } = await seedDieter();
    await expect(offboardPerson("00000000-0000-4000-8000-000000000000", "admin-action", "x", deps)).rejects.toMatchObject({
      code: "unknown-person",
      category: "not-found",
    });
  });

  it("hands over managed rooms the leaver administered alone, and only those", async () => {
    const anna = await insertPerson(t.db, { subject: "sub-anna", displayName: "Anna", role: "admin", departments: ["it"], matrixUserId: ANNA });
    const { dieter, hs, deps } = await seedDieter({
      accounts: { [DIETER]: { locked: false, devices: [], rooms: ["!alone:s.test", "!shared:s.test", "!unmanaged:s.test", "!v12:s.test"] } },
      roomStates: {
        "!alone:s.test": fakeRoomState({ creator: DIETER, users: { [DIETER]: 100, "@_stadtfunk_bot:s.test": 100 }, members: [DIETER, "@_stadtfunk_bot:s.test"] }),
        "!shared:s.test": fakeRoomState({ creator: DIETER, users: { [DIETER]: 100, [BERND]: 100 }, members: [DIETER, BERND] }),
        "!unmanaged:s.test": fakeRoomState({ creator: DIETER, users: { [DIETER]: 100 }, members: [DIETER] }),
        "!v12:s.test": fakeRoomState({ creator: DIETER, roomVersion: "12", users: {}, members: [DIETER] }),
      },
    });
    const managed = (matrixRoomId: string) => ({
      matrixRoomId,
      kind: "team" as const,
      name: matrixRoomId,
      organiserId: dieter.id,
      access: "invited" as const,
      department: "bauamt",
      conferenceId: `c-${matrixRoomId}`,
      widgetId: `w-${matrixRoomId}`,
      idempotencyKey: matrixRoomId,
      status: "active" as const,
    });
    await t.db.insert(rooms).values([managed("!alone:s.test"), managed("!shared:s.test"), managed("!v12:s.test")]);

    const result = await offboardPerson(dieter.id, "admin-action", `person:${anna.id}`, deps);

    expect(result.rooms.sort((a, b) => a.matrixRoomId.localeCompare(b.matrixRoomId))).toEqual([
      { matrixRoomId: "!alone:s.test", successor: ANNA, outcome: "handed-over" },
      { matrixRoomId: "!v12:s.test", successor: ANNA, outcome: "handed-over" },
    ]);
    const grants = hs.calls.filter((c) => c.path.endsWith("/make_room_admin"));
    expect(grants.map((c) => [c.method, c.path, c.body])).toEqual(
      expect.arrayContaining([
        ["POST", `/_synapse/admin/v1/rooms/${enc("!alone:s.test")}/make_room_admin`, { user_id: ANNA }],
        ["POST", `/_synapse/admin/v1/rooms/${enc("!v12:s.test")}/make_room_admin`, { user_id: ANNA }],
      ]),
    );
    expect(grants).toHaveLength(2);
    expect(result.problems).toEqual([]);
  });

  it("records rooms left without an admin when nobody can take over", async () => {
    const { dieter, deps } = await seedDieter({
      accounts: { [DIETER]: { locked: false, devices: [], rooms: ["!alone:s.test"] } },
      roomStates: { "!alone:s.test": fakeRoomState({ creator: DIETER, users: { [DIETER]: 100 }, members: [DIETER] }) },
    });
    await t.db.insert(rooms).values({
      matrixRoomId: "!alone:s.test", kind: "team", name: "x", organiserId: dieter.id, access: "invited",
      conferenceId: "c", widgetId: "w", idempotencyKey: "k", status: "active",
    });
    const result = await offboardPerson(dieter.id, "admin-action", "person:anna", deps);
    expect(result.rooms).toEqual([{ matrixRoomId: "!alone:s.test", successor: null, outcome: "no-successor" }]);
    expect(result.problems).toEqual(["rooms-without-admin"]);
  });
});
