import crypto from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBots, type RunningBots } from "../../bots/main";
import { captureLogger } from "../../bots/shared/capture-logger";
import { auditLog, people, rooms, type Person } from "../../drizzle/schema";
import { directorySpaceMembers, directorySpaces } from "../../drizzle/tables/directory-spaces";
import type { DbHandle } from "../../lib/db/client";
import { AppError } from "../../lib/errors";
import { createLogger } from "../../lib/log";
import { createDirectorySpaceHomeserver } from "../../lib/matrix/directory-space-client";
import { createServiceClient } from "../../lib/matrix/service-client";
import { createManagedRoom, type CreateRoomDeps } from "../../lib/rooms/create-room";
import { createRoomInput } from "../../lib/rooms/create-room-input";
import { isDirectoryMembershipCurrent, removeFromDirectorySpaces, syncDirectoryMembership } from "../../lib/rooms/directory-membership";
import { CITY_SPACE_KEY, departmentSpaceKey, type DirectorySpaceDeps } from "../../lib/rooms/directory-spaces";
import { joinOpenRoom, listOpenRoomsFor } from "../../lib/rooms/open-rooms";
import { api, botsConfig, enc, hs, waitFor, startBotsTestDb, type BotsTestDb } from "./setup/bots-harness";
import { createTestUser, type TestUser } from "./setup/matrix-users";

/**
 * Rooms open to a department or the whole city, against a real Synapse: the
 * directory spaces follow the people's departments, the room's restricted
 * join rule names the space, and the homeserver alone decides who gets in.
 */

describe("department-wide and city-wide rooms (real Synapse)", () => {
  const config = botsConfig();
  const service = createServiceClient(config);
  const log = createLogger("test", "silent");
  let store: BotsTestDb | undefined;
  let handle: DbHandle;
  let bots: RunningBots | undefined;
  let spaces: DirectorySpaceDeps;
  let homeserverCalls: string[];
  // Bernd and Dieter work in the building department, Clara in the treasury.
  let bernd: TestUser;
  let dieter: TestUser;
  let clara: TestUser;
  let berndRow: Person;
  let dieterRow: Person;
  let claraRow: Person;
  const timings: Record<string, number> = {};

  const sync = (user: TestUser, departments: string[]) =>
    syncDirectoryMembership(spaces, { matrixUserId: user.userId, departments, accessToken: user.accessToken });

  const roomDeps = (): CreateRoomDeps => ({ db: handle.db, service, config, log, discardRoom: async () => {}, directorySpaces: spaces });

  const createRoom = (organiser: Person, over: Record<string, unknown>) =>
    createManagedRoom(
      roomDeps(),
      organiser,
      createRoomInput.parse({ kind: "team", name: "Bauamt intern", idempotencyKey: crypto.randomUUID(), ...over }),
    );

  async function spaceRoomId(key: string): Promise<string> {
    const [space] = await handle.db.select().from(directorySpaces).where(eq(directorySpaces.key, key));
    return space!.matrixRoomId!;
  }

  const stateAsService = (roomId: string, type: string, key = "") => service.getStateEvent(roomId, type, key);
  const joinAs = (user: TestUser, roomId: string) => joinOpenRoom({ db: handle.db, homeserver: spaces.homeserver }, user, roomId);

  beforeAll(async () => {
    store = await startBotsTestDb("department-rooms");
    handle = store.handle;
    homeserverCalls = [];
    const counting: typeof fetch = async (input, init) => {
      homeserverCalls.push(`${init?.method ?? "GET"} ${String(input).split("?")[0]!.replace(hs, "")}`);
      return fetch(input, init);
    };
    spaces = {
      db: handle.db,
      homeserver: createDirectorySpaceHomeserver(config, counting),
      serverName: config.matrix.serverName,
      cityName: "Musterstadt",
      log,
    };
    [bernd, dieter, clara] = await Promise.all([createTestUser(), createTestUser(), createTestUser()]);
    const row = (u: TestUser, name: string, departments: string[]) => ({
      subject: crypto.randomUUID(),
      displayName: name,
      matrixUserId: u.userId,
      username: u.localpart,
      departments,
    });
    [berndRow, dieterRow, claraRow] = (await handle.db
      .insert(people)
      .values([row(bernd, "Bernd Bauer", ["bauamt"]), row(dieter, "Dieter Dach", ["bauamt"]), row(clara, "Clara Kämmerer", ["kaemmerei"])])
      .returning()) as [Person, Person, Person];

    // The first sign-in creates the spaces; a sign-in with nothing changed only reads.
    let t = performance.now();
    await sync(bernd, ["bauamt"]);
    timings.firstSignInCreatingSpaces = performance.now() - t;
    t = performance.now();
    await sync(dieter, ["bauamt"]);
    timings.firstSignInJoiningSpaces = performance.now() - t;
    await sync(clara, ["kaemmerei"]);
    bots = await startBots(config, captureLogger("info").logger, { db: handle.db });
  });

  afterAll(async () => {
    console.info(`directory space timings (ms): ${JSON.stringify(Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v)])))}`);
    await bots?.stop();
    await store?.stop();
  });

  it("keeps one invite-only space per department and one for the city, created by the service, with the people in them", async () => {
    const bauamt = await spaceRoomId(departmentSpaceKey("bauamt"));
    const city = await spaceRoomId(CITY_SPACE_KEY);
    for (const space of [bauamt, city]) {
      expect(await stateAsService(space, "m.room.create")).toMatchObject({ type: "m.space", room_version: "12" });
      const create = (await service.getState(space)).find((e) => e.type === "m.room.create")!;
      expect(create.sender).toBe(service.userId);
      expect(await stateAsService(space, "m.room.join_rules")).toEqual({ join_rule: "invite" });
      expect(await stateAsService(space, "m.room.history_visibility")).toEqual({ history_visibility: "joined" });
    }
    expect((await stateAsService(bauamt, "m.room.member", bernd.userId))?.membership).toBe("join");
    expect((await stateAsService(bauamt, "m.room.member", clara.userId))?.membership).toBeUndefined();
    expect((await stateAsService(city, "m.room.member", clara.userId))?.membership).toBe("join");
  });

  it("a sign-in with unchanged departments costs one homeserver read, and the dashboard check none", async () => {
    homeserverCalls.length = 0;
    const t = performance.now();
    expect(await sync(bernd, ["bauamt"])).toEqual({ joined: [], removed: [] });
    timings.signInUnchanged = performance.now() - t;
    expect(homeserverCalls).toEqual(["GET /_matrix/client/v3/joined_rooms"]);
    const t2 = performance.now();
    expect(await isDirectoryMembershipCurrent(handle.db, bernd.userId, ["bauamt"])).toBe(true);
    timings.dashboardCheck = performance.now() - t2;
    expect(await isDirectoryMembershipCurrent(handle.db, bernd.userId, ["bauamt", "ordnungsamt"])).toBe(false);
  });

  it("a department room: restricted to the department's space; a member joins, another department gets 403 from the homeserver", async () => {
    const room = await createRoom(berndRow, { access: "department", department: "bauamt" });
    const roomId = room.matrixRoomId!;
    const bauamt = await spaceRoomId(departmentSpaceKey("bauamt"));
    expect(room).toMatchObject({ access: "department", department: "bauamt" });
    expect(await stateAsService(roomId, "m.room.join_rules")).toEqual({
      join_rule: "restricted",
      allow: [{ type: "m.room_membership", room_id: bauamt }],
    });
    expect(await stateAsService(bauamt, "m.space.child", roomId)).toEqual({ via: [config.matrix.serverName] });
    expect(await stateAsService(roomId, "m.space.parent", bauamt)).toEqual({ via: [config.matrix.serverName], canonical: true });

    expect((await listOpenRoomsFor(handle.db, dieterRow)).map((r) => r.matrixRoomId)).toContain(roomId);
    expect((await listOpenRoomsFor(handle.db, claraRow)).map((r) => r.matrixRoomId)).not.toContain(roomId);

    await joinAs(dieter, roomId);
    expect((await stateAsService(roomId, "m.room.member", dieter.userId))?.membership).toBe("join");
    expect((await listOpenRoomsFor(handle.db, dieterRow)).map((r) => r.matrixRoomId)).not.toContain(roomId);

    // The homeserver itself refuses the treasury: the portal adds no rule of its own.
    const raw = await api(clara, "POST", `/join/${enc(roomId)}`, {});
    expect(raw.status).toBe(403);
    await expect(joinAs(clara, roomId)).rejects.toMatchObject({ code: "join-refused", status: 403 });
    expect((await stateAsService(roomId, "m.room.member", clara.userId))?.membership).toBeUndefined();
  });

  it("after leaving the department (removed from its space) joining is refused", async () => {
    const room = await createRoom(berndRow, { access: "department", department: "bauamt", name: "Bauamt Planung" });
    const bauamt = await spaceRoomId(departmentSpaceKey("bauamt"));
    // Dieter moved to the treasury at the identity provider; his next sign-in carries the new groups.
    const t = performance.now();
    const change = await sync(dieter, ["kaemmerei"]);
    timings.signInDepartmentChanged = performance.now() - t;
    expect(change).toEqual({ joined: [departmentSpaceKey("kaemmerei")], removed: [departmentSpaceKey("bauamt")] });
    expect((await stateAsService(bauamt, "m.room.member", dieter.userId))?.membership).toBe("leave");
    expect(await isDirectoryMembershipCurrent(handle.db, dieter.userId, ["kaemmerei"])).toBe(true);

    expect((await api(dieter, "POST", `/join/${enc(room.matrixRoomId!)}`, {})).status).toBe(403);
    await expect(joinAs(dieter, room.matrixRoomId!)).rejects.toBeInstanceOf(AppError);
  });

  it("a city-wide room: any staff member can join", async () => {
    const room = await createRoom(claraRow, { access: "city", name: "Betriebsversammlung" });
    const city = await spaceRoomId(CITY_SPACE_KEY);
    expect(await stateAsService(room.matrixRoomId!, "m.room.join_rules")).toEqual({
      join_rule: "restricted",
      allow: [{ type: "m.room_membership", room_id: city }],
    });
    expect((await listOpenRoomsFor(handle.db, berndRow)).map((r) => r.matrixRoomId)).toContain(room.matrixRoomId);
    await joinAs(bernd, room.matrixRoomId!);
    await joinAs(dieter, room.matrixRoomId!);
    expect((await stateAsService(room.matrixRoomId!, "m.room.member", bernd.userId))?.membership).toBe("join");
    expect((await stateAsService(room.matrixRoomId!, "m.room.member", dieter.userId))?.membership).toBe("join");
    // Someone with an account but outside the city's staff spaces is not let in.
    const stranger = await createTestUser();
    expect((await api(stranger, "POST", `/join/${enc(room.matrixRoomId!)}`, {})).status).toBe(403);
  });

  it("staff cannot open a room to a department they are not in: a field error, and nothing is created", async () => {
    const before = await handle.db.select().from(rooms);
    const err = await createRoom(claraRow, { access: "department", department: "bauamt", name: "Fremd" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).fieldErrors).toEqual({ department: expect.stringMatching(/eigenen Abteilungen/) });
    expect(await handle.db.select().from(rooms)).toHaveLength(before.length);
    // An admin may open a room to any known department.
    const admin = { ...claraRow, role: "admin" as const };
    const room = await createRoom(admin, { access: "department", department: "bauamt", name: "Von der IT für das Bauamt" });
    expect(room.department).toBe("bauamt");
  });

  it("the policy bot leaves the restricted rule alone but reverts a change to public", async () => {
    const room = await createRoom(berndRow, { access: "department", department: "bauamt", name: "Bauamt Regeln" });
    const roomId = room.matrixRoomId!;
    const intended = await stateAsService(roomId, "m.room.join_rules");
    expect((await api(bernd, "POST", `/join/${enc(roomId)}`, {})).status).toBe(200);
    await bots!.sweep;
    // A sweep over the room, and a state change that makes the bot look, leave the rule as created.
    await bots!.stop();
    bots = await startBots(config, captureLogger("info").logger, { db: handle.db });
    await bots.sweep;
    const auditFor = () => handle.db.select().from(auditLog).where(and(eq(auditLog.subject, roomId), eq(auditLog.action, "policy.join-rule-restored")));
    expect(await auditFor()).toEqual([]);
    expect(await stateAsService(roomId, "m.room.join_rules")).toEqual(intended);

    const changed = await api(bernd, "PUT", `/rooms/${enc(roomId)}/state/m.room.join_rules/`, { join_rule: "public" });
    expect(changed.status).toBe(200);
    await waitFor("the restricted rule to be restored", async () => {
      const now = await stateAsService(roomId, "m.room.join_rules");
      return now?.join_rule === "restricted" ? now : undefined;
    });
    expect(await stateAsService(roomId, "m.room.join_rules")).toEqual(intended);
    const [audit] = await waitFor("the audit entry", async () => {
      const rows = await auditFor();
      return rows.length ? rows : undefined;
    });
    expect(audit!.details).toMatchObject({ reason: "join-rule-not-as-created", changedBy: bernd.userId, before: { join_rule: "public" } });
  });

  it("a leaver is removed from every directory space", async () => {
    const removed = await removeFromDirectorySpaces(spaces, bernd.userId, "Zugang gesperrt");
    expect(removed.sort()).toEqual([CITY_SPACE_KEY, departmentSpaceKey("bauamt")].sort());
    for (const key of removed) {
      expect((await stateAsService(await spaceRoomId(key), "m.room.member", bernd.userId))?.membership).toBe("leave");
    }
    expect(await handle.db.select().from(directorySpaceMembers).where(eq(directorySpaceMembers.matrixUserId, bernd.userId))).toEqual([]);
    expect(await removeFromDirectorySpaces(spaces, bernd.userId, "Zugang gesperrt")).toEqual([]);
  });
});
