import { and, desc, eq, inArray, ne, not, or, sql } from "drizzle-orm";
import { rooms, type Person, type Room } from "../../drizzle/schema";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { MatrixApiError } from "../matrix/client-api";
import type { DirectorySpaceHomeserver } from "../matrix/directory-space-client";
import { listKnownDepartments } from "../people/departments";
import { checkDepartmentChoice, type CreateRoomInput } from "./create-room-input";
import { CITY_SPACE_KEY, departmentSpaceKey, ensureDirectorySpace, type DirectorySpaceDeps } from "./directory-spaces";
import { INVITE_ONLY, joinRuleFor, type JoinRuleContent } from "./join-rule";

/**
 * Rooms open to a department or the whole city: the join rule at creation,
 * the dashboard's list of such rooms a person has not joined yet, and the
 * join itself — done with the person's own Matrix session, so the homeserver
 * alone decides (through the restricted rule) who gets in.
 */

export interface ResolvedJoinRule {
  joinRule: JoinRuleContent;
  /** The directory space the room is opened to, or null for invite-only rooms. */
  spaceRoomId: string | null;
}

/** Checks the organiser's choice and finds (or creates) the space; nothing is written to the room table here. */
export async function resolveJoinRule(
  deps: DirectorySpaceDeps | undefined,
  organiser: Person,
  input: Pick<CreateRoomInput, "access" | "department">,
): Promise<ResolvedJoinRule> {
  if (input.access === "invited") return { joinRule: INVITE_ONLY, spaceRoomId: null };
  if (!deps) throw new AppError("access-unavailable", "invalid", "Diese Beitrittsregel ist hier nicht verfügbar.", { access: "Nicht verfügbar." });
  const known = organiser.role === "admin" && input.access === "department" ? await listKnownDepartments(deps.db) : [];
  const problem = checkDepartmentChoice(input, organiser, known);
  if (problem) throw new AppError("department-not-allowed", "invalid", "Bitte prüfen Sie die markierten Felder.", problem);
  const space =
    input.access === "city"
      ? { key: CITY_SPACE_KEY, scope: "city" as const, department: null }
      : { key: departmentSpaceKey(input.department!), scope: "department" as const, department: input.department! };
  let spaceRoomId: string;
  try {
    spaceRoomId = await ensureDirectorySpace(deps, space);
  } catch (err) {
    if (err instanceof MatrixApiError || err instanceof TypeError || (err as Error).name === "TimeoutError") {
      throw new AppError("homeserver-error", "unavailable", "Der Chat-Server ist gerade nicht erreichbar. Bitte versuchen Sie es gleich noch einmal.", {}, { cause: err });
    }
    throw err;
  }
  return { joinRule: joinRuleFor(input.access, spaceRoomId), spaceRoomId };
}

/**
 * Rooms open to the person's departments or the city that they neither
 * organise nor were invited to or joined through the portal (a listing
 * cache; the join itself is decided by the homeserver).
 */
export async function listOpenRoomsFor(db: Db, person: Person, opts: { limit?: number } = {}): Promise<Room[]> {
  const openToMe = or(
    eq(rooms.access, "city"),
    person.departments.length ? and(eq(rooms.access, "department"), inArray(rooms.department, person.departments)) : undefined,
  );
  const alreadyMine = person.matrixUserId ? sql`${rooms.invitedUserIds} @> ${JSON.stringify([person.matrixUserId])}::jsonb` : undefined;
  return db
    .select()
    .from(rooms)
    .where(and(eq(rooms.status, "active"), openToMe, ne(rooms.organiserId, person.id), alreadyMine ? not(alreadyMine) : undefined))
    .orderBy(sql`${rooms.startsAt} asc nulls last`, desc(rooms.createdAt))
    .limit(opts.limit ?? 50);
}

export interface JoinDeps {
  db: Db;
  homeserver: Pick<DirectorySpaceHomeserver, "joinAsPerson">;
}

/**
 * Joins a managed room with the person's own Matrix session. The portal
 * grants nothing itself: a 403 from the homeserver (not in the department's
 * space any more, or an invite-only room) is passed on as 403.
 */
export async function joinOpenRoom(deps: JoinDeps, matrix: { userId: string; accessToken: string }, matrixRoomId: string): Promise<Room> {
  const room = await deps.db.query.rooms.findFirst({ where: and(eq(rooms.matrixRoomId, matrixRoomId), eq(rooms.status, "active")) });
  if (!room) throw new AppError("room-not-found", "not-found", "Diesen Raum gibt es nicht.");
  try {
    await deps.homeserver.joinAsPerson(matrix.accessToken, matrixRoomId);
  } catch (err) {
    if (err instanceof MatrixApiError && err.status === 403) {
      throw new AppError("join-refused", "forbidden", "Sie dürfen diesem Raum nicht beitreten: Er ist nur für Mitglieder einer anderen Abteilung oder nur mit Einladung zugänglich.", {}, { cause: err });
    }
    if (err instanceof MatrixApiError && err.status === 429) {
      throw new AppError("join-rate-limited", "rate-limited", "Zu viele Beitritte in kurzer Zeit. Bitte versuchen Sie es gleich noch einmal.", {}, { cause: err });
    }
    throw new AppError("homeserver-error", "unavailable", "Der Chat-Server ist gerade nicht erreichbar. Bitte versuchen Sie es gleich noch einmal.", {}, { cause: err });
  }
  // The dashboard lists the room under "my rooms" from now on.
  const [updated] = await deps.db
    .update(rooms)
    .set({ invitedUserIds: sql`${rooms.invitedUserIds} || ${JSON.stringify([matrix.userId])}::jsonb` })
    .where(and(eq(rooms.id, room.id), not(sql`${rooms.invitedUserIds} @> ${JSON.stringify([matrix.userId])}::jsonb`)))
    .returning();
  return updated ?? room;
}
