import { beforeEach, describe, expect, it } from "vitest";
import { auditLog, people, rooms } from "../../drizzle/schema";
import { directorySpaceMembers, directorySpaces } from "../../drizzle/tables/directory-spaces";
import { useTestDb } from "../db/testing/test-db";
import { createLogger } from "../log";
import type { DirectorySpaceHomeserver } from "../matrix/directory-space-client";
import { fakeHomeserver } from "../people/testing/fake-homeserver";
import { insertPerson, testLeaverDeps } from "../people/testing/seed";
import { offboardPerson } from "./leavers";

const DIETER = "@dieter.bauamt:s.test";

const t = useTestDb();
beforeEach(async () => {
  await t.db.delete(rooms);
  await t.db.delete(auditLog);
  await t.db.delete(people);
  await t.db.delete(directorySpaces);
});

describe("offboarding and directory spaces", () => {
  it("removes a leaver from the city's and their department's space, so rooms open to those are closed to them", async () => {
    await t.db.insert(directorySpaces).values([
      { key: "city", scope: "city", matrixRoomId: "!city:s.test" },
      { key: "department:bauamt", scope: "department", department: "bauamt", matrixRoomId: "!bauamt:s.test" },
      { key: "department:kaemmerei", scope: "department", department: "kaemmerei", matrixRoomId: "!kaemmerei:s.test" },
    ]);
    await t.db.insert(directorySpaceMembers).values([
      { spaceKey: "city", matrixUserId: DIETER },
      { spaceKey: "department:bauamt", matrixUserId: DIETER },
    ]);
    const kicked: string[] = [];
    const spacesHs: DirectorySpaceHomeserver = {
      createSpace: async () => "!never:s.test",
      invite: async () => {},
      kick: async (room, user, reason) => {
        kicked.push(`${room} ${user} ${reason}`);
      },
      membershipOf: async (room) => (room === "!kaemmerei:s.test" ? null : "join"),
      joinAsPerson: async () => {},
      joinedRoomsOf: async () => [],
    };
    const dieter = await insertPerson(t.db, { subject: "sub-dieter", displayName: "Dieter Dach", departments: ["bauamt"], matrixUserId: DIETER });
    const hs = fakeHomeserver({ accounts: { [DIETER]: { locked: false, devices: [], rooms: [] } } });
    const deps = {
      ...testLeaverDeps(t.db, hs),
      directorySpaces: { db: t.db, homeserver: spacesHs, serverName: "s.test", cityName: "Musterstadt", log: createLogger("test", "silent") },
    };

    const result = await offboardPerson(dieter.id, "admin-action", "person:anna", deps);
    expect(result.problems).toEqual([]);
    expect(kicked.sort()).toEqual([`!bauamt:s.test ${DIETER} Zugang gesperrt`, `!city:s.test ${DIETER} Zugang gesperrt`]);
    expect(await t.db.select().from(directorySpaceMembers)).toEqual([]);
  });

  it("names a failed removal among the run's problems, so running it again completes it", async () => {
    await t.db.insert(directorySpaces).values({ key: "city", scope: "city", matrixRoomId: "!city:s.test" });
    const spacesHs: DirectorySpaceHomeserver = {
      createSpace: async () => "!never:s.test",
      invite: async () => {},
      kick: async () => {
        throw new Error("homeserver down");
      },
      membershipOf: async () => "join",
      joinAsPerson: async () => {},
      joinedRoomsOf: async () => [],
    };
    const dieter = await insertPerson(t.db, { subject: "sub-dieter", displayName: "Dieter Dach", matrixUserId: DIETER });
    const hs = fakeHomeserver({ accounts: { [DIETER]: { locked: false, devices: [], rooms: [] } } });
    const deps = {
      ...testLeaverDeps(t.db, hs),
      directorySpaces: { db: t.db, homeserver: spacesHs, serverName: "s.test", cityName: "Musterstadt", log: createLogger("test", "silent") },
    };
    expect((await offboardPerson(dieter.id, "admin-action", "person:anna", deps)).problems).toContain("directory-spaces");
  });
});
