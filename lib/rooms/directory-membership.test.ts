import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { directorySpaceMembers, directorySpaces } from "../../drizzle/tables/directory-spaces";
import { useTestDb } from "../db/testing/test-db";
import { createLogger } from "../log";
import { MatrixApiError } from "../matrix/client-api";
import type { DirectorySpaceHomeserver } from "../matrix/directory-space-client";
import { isDirectoryMembershipCurrent, removeFromDirectorySpaces, syncDirectoryMembership } from "./directory-membership";
import type { DirectorySpaceDeps } from "./directory-spaces";

const ME = "@dieter:s.test";
const TOKEN = "syt_dieter";

/** A homeserver that records every call and knows who is joined where. */
function fakeSpaces() {
  const calls: string[] = [];
  const joined = new Map<string, Set<string>>();
  const member = (room: string) => joined.get(room) ?? joined.set(room, new Set()).get(room)!;
  let spaces = 0;
  let refuseInvite = false;
  const hs: DirectorySpaceHomeserver = {
    async createSpace(body) {
      calls.push(`create ${String(body.name)}`);
      return `!space${++spaces}:s.test`;
    },
    async invite(room, user) {
      calls.push(`invite ${room} ${user}`);
      if (refuseInvite) throw new MatrixApiError(403, "M_FORBIDDEN", "already invited");
    },
    async kick(room, user) {
      calls.push(`kick ${room} ${user}`);
      member(room).delete(user);
    },
    async membershipOf(room, user) {
      calls.push(`membership ${room}`);
      return member(room).has(user) ? "join" : null;
    },
    async joinAsPerson(token, room) {
      calls.push(`join ${room}`);
      if (token === TOKEN) member(room).add(ME);
    },
    async joinedRoomsOf() {
      calls.push("joined_rooms");
      return [...joined].filter(([, users]) => users.has(ME)).map(([room]) => room);
    },
  };
  return { hs, calls, refuseInvites: () => (refuseInvite = true) };
}

const t = useTestDb();
beforeEach(async () => {
  await t.db.delete(directorySpaceMembers);
  await t.db.delete(directorySpaces);
});

const depsWith = (hs: DirectorySpaceHomeserver): DirectorySpaceDeps => ({
  db: t.db,
  homeserver: hs,
  serverName: "s.test",
  cityName: "Musterstadt",
  log: createLogger("test", "silent"),
});
async function spaceIdOf(key: string): Promise<string> {
  const [row] = await t.db.select().from(directorySpaces).where(eq(directorySpaces.key, key));
  return row!.matrixRoomId!;
}
const sync = (deps: DirectorySpaceDeps, departments: string[]) => syncDirectoryMembership(deps, { matrixUserId: ME, departments, accessToken: TOKEN });

describe("syncDirectoryMembership", () => {
  it("creates the city's and the department's space once, invites the person and joins with their session", async () => {
    const f = fakeSpaces();
    expect(await sync(depsWith(f.hs), ["bauamt"])).toEqual({ joined: ["city", "department:bauamt"], removed: [] });
    expect(f.calls.filter((c) => c.startsWith("create")).sort()).toEqual(["create Abteilung bauamt", "create Stadtverwaltung Musterstadt"]);
    const [city, bauamt] = await Promise.all([spaceIdOf("city"), spaceIdOf("department:bauamt")]);
    for (const space of [city, bauamt]) {
      // Invited by the service before the person's own join.
      expect(f.calls.indexOf(`invite ${space} ${ME}`)).toBeLessThan(f.calls.indexOf(`join ${space}`));
      expect(f.calls.indexOf(`invite ${space} ${ME}`)).toBeGreaterThan(-1);
    }
    expect(f.calls).toHaveLength(7);
    expect(await isDirectoryMembershipCurrent(t.db, ME, ["bauamt"])).toBe(true);
  });

  it("only reads when nothing changed", async () => {
    const f = fakeSpaces();
    await sync(depsWith(f.hs), ["bauamt"]);
    f.calls.length = 0;
    expect(await sync(depsWith(f.hs), ["bauamt"])).toEqual({ joined: [], removed: [] });
    expect(f.calls).toEqual(["joined_rooms"]);
  });

  it("removes the person from a department they left and adds the new one", async () => {
    const f = fakeSpaces();
    await sync(depsWith(f.hs), ["bauamt"]);
    f.calls.length = 0;
    expect(await sync(depsWith(f.hs), ["kaemmerei"])).toEqual({ joined: ["department:kaemmerei"], removed: ["department:bauamt"] });
    expect(f.calls).toContain(`kick ${await spaceIdOf("department:bauamt")} ${ME}`);
    expect(await isDirectoryMembershipCurrent(t.db, ME, ["kaemmerei"])).toBe(true);
    expect(await isDirectoryMembershipCurrent(t.db, ME, ["bauamt"])).toBe(false);
  });

  it("still joins when an earlier invitation is still open (the repeat invite is refused)", async () => {
    const f = fakeSpaces();
    f.refuseInvites();
    expect((await sync(depsWith(f.hs), [])).joined).toEqual(["city"]);
    expect(f.calls).toContain(`join ${await spaceIdOf("city")}`);
  });

  it("removes a leaver from every space they are in, and a repeat finds nothing to do", async () => {
    const f = fakeSpaces();
    await sync(depsWith(f.hs), ["bauamt"]);
    expect((await removeFromDirectorySpaces(depsWith(f.hs), ME, "Zugang gesperrt")).sort()).toEqual(["city", "department:bauamt"]);
    expect(await removeFromDirectorySpaces(depsWith(f.hs), ME, "Zugang gesperrt")).toEqual([]);
    expect(await isDirectoryMembershipCurrent(t.db, ME, [])).toBe(false);
  });
});
