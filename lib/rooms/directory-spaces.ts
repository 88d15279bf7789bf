import { eq, isNotNull } from "drizzle-orm";
import { directorySpaces, type DirectorySpace } from "../../drizzle/tables/directory-spaces";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import type { Logger } from "../log";
import type { DirectorySpaceHomeserver } from "../matrix/directory-space-client";
import { ROOM_VERSION, serverAcl } from "./room-state";

/**
 * Directory spaces: one Matrix space for the whole city and one per
 * department, created by the service account (never a person, so nobody can
 * take them over), invite-only, history visible to joined members only.
 * Membership follows the SSO groups (see directory-membership.ts).
 */

export const CITY_SPACE_KEY = "city";

export interface SpaceScope {
  key: string;
  scope: "city" | "department";
  department: string | null;
}

export function departmentSpaceKey(department: string): string {
  return `department:${department}`;
}

/** The spaces a person belongs in: the city's, and one for each of their departments. */
export function spaceScopesFor(departments: readonly string[]): SpaceScope[] {
  return [
    { key: CITY_SPACE_KEY, scope: "city", department: null },
    ...[...new Set(departments)].map((d) => ({ key: departmentSpaceKey(d), scope: "department" as const, department: d })),
  ];
}

export interface DirectorySpaceDeps {
  db: Db;
  homeserver: DirectorySpaceHomeserver;
  serverName: string;
  cityName: string;
  log: Logger;
}

/** The full createRoom body of a directory space. */
export function buildSpaceBody(space: SpaceScope, ctx: { serverName: string; cityName: string }): Record<string, unknown> {
  const name = space.scope === "city" ? `Stadtverwaltung ${ctx.cityName}` : `Abteilung ${space.department}`;
  return {
    preset: "private_chat",
    room_version: ROOM_VERSION,
    visibility: "private",
    name,
    topic:
      space.scope === "city"
        ? "Alle Beschäftigten der Stadtverwaltung. Räume für die ganze Stadt sind von hier aus zugänglich."
        : `Alle Beschäftigten der Abteilung ${space.department} (aus der zentralen Anmeldung). Räume der Abteilung sind von hier aus zugänglich.`,
    creation_content: { type: "m.space" },
    // Only the service (the creator, above every level in v12) changes a space; members just belong.
    power_level_content_override: {
      users_default: 0,
      events_default: 100,
      state_default: 100,
      invite: 100,
      kick: 100,
      ban: 100,
      redact: 100,
      events: {},
    },
    initial_state: [
      { type: "m.room.join_rules", state_key: "", content: { join_rule: "invite" } },
      { type: "m.room.history_visibility", state_key: "", content: { history_visibility: "joined" } },
      { type: "m.room.guest_access", state_key: "", content: { guest_access: "forbidden" } },
      { type: "m.room.server_acl", state_key: "", content: serverAcl([ctx.serverName]) },
    ],
  };
}

async function readSpace(db: Db, key: string): Promise<DirectorySpace | undefined> {
  const [row] = await db.select().from(directorySpaces).where(eq(directorySpaces.key, key));
  return row;
}

/** Waits for a concurrent creation of the same space (another sign-in claimed it first). */
async function awaitConcurrentSpace(db: Db, key: string): Promise<string> {
  for (let i = 0; i < 150; i++) {
    const row = await readSpace(db, key);
    if (!row) break;
    if (row.matrixRoomId) return row.matrixRoomId;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new AppError("space-unavailable", "unavailable", "Der Verzeichnisraum konnte nicht angelegt werden. Bitte versuchen Sie es erneut.");
}

/**
 * The Matrix room id of a directory space, created on first use. The row is
 * claimed before the homeserver call, so two sign-ins at once create one
 * space; a failed creation removes the claim so the next attempt retries.
 */
export async function ensureDirectorySpace(deps: DirectorySpaceDeps, space: SpaceScope): Promise<string> {
  const existing = await readSpace(deps.db, space.key);
  if (existing?.matrixRoomId) return existing.matrixRoomId;
  const [claimed] = existing
    ? []
    : await deps.db
        .insert(directorySpaces)
        .values({ key: space.key, scope: space.scope, department: space.department })
        .onConflictDoNothing()
        .returning();
  if (!claimed) return awaitConcurrentSpace(deps.db, space.key);
  try {
    const roomId = await deps.homeserver.createSpace(buildSpaceBody(space, deps));
    await deps.db.update(directorySpaces).set({ matrixRoomId: roomId }).where(eq(directorySpaces.key, space.key));
    deps.log.info({ space: space.key, roomId }, "directory space created");
    return roomId;
  } catch (err) {
    await deps.db.delete(directorySpaces).where(eq(directorySpaces.key, space.key));
    throw err;
  }
}

/** Every directory space that exists on the homeserver. */
export function listDirectorySpaces(db: Db): Promise<DirectorySpace[]> {
  return db.select().from(directorySpaces).where(isNotNull(directorySpaces.matrixRoomId));
}
