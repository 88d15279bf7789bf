import { and, eq, inArray } from "drizzle-orm";
import { directorySpaceMembers } from "../../drizzle/tables/directory-spaces";
import type { Db } from "../db/client";
import { MatrixApiError } from "../matrix/client-api";
import { ensureDirectorySpace, listDirectorySpaces, spaceScopesFor, type DirectorySpaceDeps } from "./directory-spaces";

/**
 * A person's membership in the directory spaces follows their SSO groups:
 * the service invites them and the portal joins with the person's own Matrix
 * session; who left a department is removed (kicked) by the service. Only
 * differences cost homeserver calls.
 */

export interface MembershipChange {
  joined: string[];
  removed: string[];
}

const LEFT_DEPARTMENT = "Nicht mehr Mitglied dieser Abteilung (zentrale Anmeldung)";

/** Cheap check for every dashboard load: does the recorded membership match the person's departments? */
export async function isDirectoryMembershipCurrent(db: Db, matrixUserId: string, departments: readonly string[]): Promise<boolean> {
  const rows = await db
    .select({ key: directorySpaceMembers.spaceKey })
    .from(directorySpaceMembers)
    .where(eq(directorySpaceMembers.matrixUserId, matrixUserId));
  const recorded = new Set(rows.map((r) => r.key));
  const wanted = spaceScopesFor(departments).map((s) => s.key);
  return recorded.size === wanted.length && wanted.every((k) => recorded.has(k));
}

/**
 * Brings the person's space memberships in line with their departments,
 * against the homeserver's truth (their joined rooms). Idempotent: a second
 * run with nothing changed makes one read call.
 */
export async function syncDirectoryMembership(
  deps: DirectorySpaceDeps,
  person: { matrixUserId: string; departments: readonly string[]; accessToken: string },
): Promise<MembershipChange> {
  const wanted = spaceScopesFor(person.departments);
  const wantedIds = new Map(await Promise.all(wanted.map(async (space) => [space.key, await ensureDirectorySpace(deps, space)] as const)));
  const [joinedRooms, allSpaces] = await Promise.all([deps.homeserver.joinedRoomsOf(person.accessToken), listDirectorySpaces(deps.db)]);
  const joined = new Set(joinedRooms);

  // Spaces are independent of each other: a first sign-in waits for one invite and one join, not one per space.
  const missing = [...wantedIds].filter(([, roomId]) => !joined.has(roomId));
  const left = allSpaces.filter((space) => !wantedIds.has(space.key) && joined.has(space.matrixRoomId!));
  await Promise.all([
    ...missing.map(async ([, roomId]) => {
      await deps.homeserver.invite(roomId, person.matrixUserId).catch(ignoreAlreadyInvited);
      await deps.homeserver.joinAsPerson(person.accessToken, roomId);
    }),
    ...left.map((space) => deps.homeserver.kick(space.matrixRoomId!, person.matrixUserId, LEFT_DEPARTMENT)),
  ]);
  const change: MembershipChange = { joined: missing.map(([key]) => key), removed: left.map((space) => space.key) };

  await recordMembership(deps.db, person.matrixUserId, [...wantedIds.keys()]);
  if (change.joined.length || change.removed.length) {
    deps.log.info({ matrixUserId: person.matrixUserId, ...change }, "directory space membership updated");
  }
  return change;
}

/**
 * Removes a person from every directory space (leavers): the service asks
 * the homeserver about each space, so a stale record cannot hide a membership.
 */
export async function removeFromDirectorySpaces(deps: DirectorySpaceDeps, matrixUserId: string, reason: string): Promise<string[]> {
  const removed: string[] = [];
  for (const space of await listDirectorySpaces(deps.db)) {
    const membership = await deps.homeserver.membershipOf(space.matrixRoomId!, matrixUserId);
    if (membership !== "join" && membership !== "invite") continue;
    await deps.homeserver.kick(space.matrixRoomId!, matrixUserId, reason);
    removed.push(space.key);
  }
  await recordMembership(deps.db, matrixUserId, []);
  return removed;
}

async function recordMembership(db: Db, matrixUserId: string, keys: string[]): Promise<void> {
  const rows = await db
    .select({ key: directorySpaceMembers.spaceKey })
    .from(directorySpaceMembers)
    .where(eq(directorySpaceMembers.matrixUserId, matrixUserId));
  const stale = rows.map((r) => r.key).filter((k) => !keys.includes(k));
  if (stale.length) {
    await db
      .delete(directorySpaceMembers)
      .where(and(eq(directorySpaceMembers.matrixUserId, matrixUserId), inArray(directorySpaceMembers.spaceKey, stale)));
  }
  if (keys.length) {
    await db
      .insert(directorySpaceMembers)
      .values(keys.map((spaceKey) => ({ spaceKey, matrixUserId })))
      .onConflictDoNothing();
  }
}

/** A person invited earlier whose join did not happen is invited again: the homeserver may refuse the repeat. */
function ignoreAlreadyInvited(err: unknown): void {
  if (err instanceof MatrixApiError && err.status === 403) return;
  throw err;
}
