import { and, desc, eq, inArray, isNotNull, isNull, ne, notInArray, sql } from "drizzle-orm";
import { people, rooms, type Person, type Room } from "../../drizzle/schema";
import type { Db } from "../db/client";
import { levelValue, powerLevelOf, roomPowerState, type StateEventLike } from "../matrix/power-levels";
import type { Logger } from "../log";
import type { AdminContext } from "../matrix/admin-users";
import { joinedRooms, makeRoomAdmin, roomState } from "../matrix/admin-devices";

/**
 * When a person leaves, managed rooms they administered alone get a new
 * admin, so nobody is left unable to rename, invite or close the room.
 * "Admin" means: may change the room's power levels.
 */

export interface RoomAdmins {
  leaverIsAdmin: boolean;
  /** Joined members other than the leaver who can still administer the room. */
  otherAdmins: string[];
}

function requiredLevel(content: Record<string, unknown>, eventType: string): number {
  const events = content.events && typeof content.events === "object" ? (content.events as Record<string, unknown>) : {};
  return levelValue(events[eventType]) ?? levelValue(content.state_default) ?? 50;
}

/** Pure: who administers the room, from its full state. `isInactive` marks other leavers and service accounts. */
export function roomAdmins(state: readonly StateEventLike[], leaver: string, isInactive: (userId: string) => boolean): RoomAdmins {
  const joined = state
    .filter((e) => e.type === "m.room.member" && e.content.membership === "join" && e.state_key)
    .map((e) => e.state_key as string);
  const power = roomPowerState(state);
  let isAdmin: (userId: string) => boolean;
  if (power) {
    const needed = requiredLevel(power.content, "m.room.power_levels");
    isAdmin = (u) => powerLevelOf(power, u) >= needed;
  } else {
    // Without a power-levels event only the creator holds power.
    const creator = state.find((e) => e.type === "m.room.create" && (e.state_key ?? "") === "")?.sender;
    isAdmin = (u) => u === creator;
  }
  return {
    leaverIsAdmin: isAdmin(leaver),
    otherAdmins: joined.filter((u) => u !== leaver && !isInactive(u) && isAdmin(u)),
  };
}

/**
 * The new admin: the room's organiser if that is someone else and still
 * active; otherwise city IT — a portal admin, preferring one from the room's
 * department, then the one who signed in most recently.
 */
export async function chooseSuccessor(db: Db, room: Room, leaver: Person): Promise<Person | null> {
  const active = and(isNull(people.disabledAt), isNotNull(people.matrixUserId), ne(people.id, leaver.id));
  if (room.organiserId !== leaver.id) {
    const organiser = await db.query.people.findFirst({ where: and(active, eq(people.id, room.organiserId)) });
    if (organiser) return organiser;
  }
  const order = [desc(people.lastSignInAt), people.id];
  if (room.department) {
    order.unshift(sql`case when ${people.departments} @> ${JSON.stringify([room.department])}::jsonb then 0 else 1 end`);
  }
  const [admin] = await db
    .select()
    .from(people)
    .where(and(active, eq(people.role, "admin")))
    .orderBy(...order)
    .limit(1);
  return admin ?? null;
}

export interface HandoverDeps {
  db: Db;
  homeserver: AdminContext;
  log: Logger;
  /** Bots and other service accounts never count as a room's remaining admin. */
  isServiceAccount: (userId: string) => boolean;
}

export interface RoomHandover {
  matrixRoomId: string;
  successor: string | null;
  outcome: "handed-over" | "no-successor" | "failed";
}

/** Hands over every managed room the leaver is the only active admin of. */
export async function handOverRooms(deps: HandoverDeps, leaver: Person & { matrixUserId: string }): Promise<RoomHandover[]> {
  const joined = await joinedRooms(deps.homeserver, leaver.matrixUserId);
  if (joined.length === 0) return [];
  const managed = await deps.db
    .select()
    .from(rooms)
    .where(and(inArray(rooms.matrixRoomId, joined), notInArray(rooms.status, ["deleted", "failed"])));

  const results: RoomHandover[] = [];
  for (const room of managed) {
    const matrixRoomId = room.matrixRoomId as string;
    try {
      const state = await roomState(deps.homeserver, matrixRoomId);
      const members = state.filter((e) => e.type === "m.room.member" && e.state_key).map((e) => e.state_key as string);
      const disabled = new Set(
        members.length === 0
          ? []
          : (
              await deps.db
                .select({ id: people.matrixUserId })
                .from(people)
                .where(and(inArray(people.matrixUserId, members), isNotNull(people.disabledAt)))
            ).map((p) => p.id),
      );
      const admins = roomAdmins(state, leaver.matrixUserId, (u) => disabled.has(u) || deps.isServiceAccount(u));
      if (!admins.leaverIsAdmin || admins.otherAdmins.length > 0) continue;
      const successor = await chooseSuccessor(deps.db, room, leaver);
      if (!successor?.matrixUserId) {
        deps.log.warn({ roomId: room.id }, "room has no admin left and no successor was found");
        results.push({ matrixRoomId, successor: null, outcome: "no-successor" });
        continue;
      }
      await makeRoomAdmin(deps.homeserver, matrixRoomId, successor.matrixUserId);
      deps.log.info({ roomId: room.id, successor: successor.id }, "room handed over");
      results.push({ matrixRoomId, successor: successor.matrixUserId, outcome: "handed-over" });
    } catch (err) {
      deps.log.error({ roomId: room.id, err: (err as Error).message }, "room handover failed");
      results.push({ matrixRoomId, successor: null, outcome: "failed" });
    }
  }
  return results;
}
