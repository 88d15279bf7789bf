import { and, asc, eq, inArray } from "drizzle-orm";
import { auditLog, rooms, type Room } from "../../drizzle/schema";
import { federationChanges, partnerServers, partners, roomPartners } from "../../drizzle/tables/partners";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { levelValue, powerLevelOf, roomPowerState } from "../matrix/power-levels";
import type { ServiceClient } from "../matrix/service-client";
import { readRoomAccess } from "../rooms/room-access";

/** The approved partners a room is opened to, with their server names. */
export interface RoomPartner {
  partnerId: string;
  name: string;
  serverNames: string[];
}

/** Approved partners of one managed room (by its Matrix id); a suspended partner counts as not there. */
export async function approvedPartnersOfRoom(db: Db, matrixRoomId: string): Promise<RoomPartner[]> {
  const rows = await db
    .select({ partnerId: partners.id, name: partners.name, serverName: partnerServers.serverName })
    .from(roomPartners)
    .innerJoin(rooms, eq(rooms.id, roomPartners.roomId))
    .innerJoin(partners, eq(partners.id, roomPartners.partnerId))
    .innerJoin(partnerServers, eq(partnerServers.partnerId, partners.id))
    .where(and(eq(rooms.matrixRoomId, matrixRoomId), eq(partners.status, "approved")))
    .orderBy(asc(partners.name), asc(partnerServers.serverName));
  const out = new Map<string, RoomPartner>();
  for (const r of rows) {
    const p = out.get(r.partnerId) ?? { partnerId: r.partnerId, name: r.name, serverNames: [] };
    p.serverNames.push(r.serverName);
    out.set(r.partnerId, p);
  }
  return [...out.values()];
}

/** Partner ids recorded for a room (any status), for the room page's form. */
export async function roomPartnerIds(db: Db, roomId: string): Promise<string[]> {
  const rows = await db.select({ id: roomPartners.partnerId }).from(roomPartners).where(eq(roomPartners.roomId, roomId));
  return rows.map((r) => r.id);
}

/**
 * Room admins decide who federates into their room: the level the room asks
 * for `m.room.server_acl` (100 in managed rooms), read from the homeserver.
 */
export async function requireRoomAdmin(service: Pick<ServiceClient, "getState">, matrixRoomId: string, userId: string | null) {
  if (!userId) throw new AppError("no-matrix-account", "forbidden", "Kein Zugriff auf diesen Raum.");
  const access = await readRoomAccess(service, matrixRoomId, userId);
  const power = roomPowerState(access.state);
  const events = (power?.content.events ?? {}) as Record<string, unknown>;
  const needed = levelValue(events["m.room.server_acl"]) ?? levelValue(power?.content.state_default) ?? 50;
  if (access.membership !== "join" || powerLevelOf(power, userId) < needed) {
    throw new AppError("not-room-admin", "forbidden", "Nur die Raumverwaltung kann den Raum für Partner öffnen.");
  }
  return access;
}

/**
 * Sets the approved partners a room is opened to (the form lists only
 * approved ones; rows of suspended partners stay, so re-approval restores
 * them). Audited; the bots bring the room's ACL in line from the change row.
 * Authorisation is the caller's: requireRoomAdmin, or the organiser at creation.
 */
export async function setRoomPartners(
  db: Db,
  input: { room: Pick<Room, "id" | "matrixRoomId">; partnerIds: string[]; actor: string; actorPersonId?: string },
): Promise<{ before: string[]; after: string[] }> {
  const wanted = [...new Set(input.partnerIds)];
  return db.transaction(async (tx) => {
    const approved = wanted.length
      ? await tx.select({ id: partners.id }).from(partners).where(and(inArray(partners.id, wanted), eq(partners.status, "approved")))
      : [];
    if (approved.length !== wanted.length) {
      throw new AppError("partner-not-approved", "invalid", "Räume können nur für freigegebene Partner geöffnet werden.", {
        partnerIds: "Nur freigegebene Partner auswählen.",
      });
    }
    const current = await tx
      .select({ id: roomPartners.partnerId, status: partners.status })
      .from(roomPartners)
      .innerJoin(partners, eq(partners.id, roomPartners.partnerId))
      .where(eq(roomPartners.roomId, input.room.id));
    const before = current.filter((c) => c.status === "approved").map((c) => c.id).sort();
    const after = [...wanted].sort();
    if (before.join() === after.join()) return { before, after };
    const removable = before.filter((id) => !wanted.includes(id));
    if (removable.length) {
      await tx.delete(roomPartners).where(and(eq(roomPartners.roomId, input.room.id), inArray(roomPartners.partnerId, removable)));
    }
    const added = wanted.filter((id) => !current.some((c) => c.id === id));
    if (added.length) {
      await tx
        .insert(roomPartners)
        .values(added.map((partnerId) => ({ roomId: input.room.id, partnerId, addedBy: input.actorPersonId ?? null })));
    }
    await tx.insert(auditLog).values({
      actor: input.actor,
      action: "federation.room-partners-changed",
      subject: input.room.matrixRoomId ?? input.room.id,
      details: { before: { partnerIds: before }, after: { partnerIds: after } },
    });
    await tx.insert(federationChanges).values({ kind: "room", roomId: input.room.id });
    return { before, after };
  });
}

/** Managed rooms (Matrix ids) whose ACL a partner change touches. */
export async function roomsOfPartner(db: Db, partnerId: string): Promise<string[]> {
  const rows = await db
    .select({ roomId: rooms.matrixRoomId })
    .from(roomPartners)
    .innerJoin(rooms, eq(rooms.id, roomPartners.roomId))
    .where(and(eq(roomPartners.partnerId, partnerId), eq(rooms.status, "active")));
  return rows.map((r) => r.roomId).filter((id): id is string => id !== null);
}


/** Refuses ids that are not approved partners (the new-room form checks before creating anything). */
export async function assertApprovedPartners(db: Db, partnerIds: readonly string[]): Promise<void> {
  const ids = [...new Set(partnerIds)];
  if (ids.length === 0) return;
  const valid = ids.every((id) => /^[0-9a-f-]{36}$/i.test(id));
  const found = valid
    ? await db.select({ id: partners.id }).from(partners).where(and(inArray(partners.id, ids), eq(partners.status, "approved")))
    : [];
  if (found.length !== ids.length) {
    throw new AppError("partner-not-approved", "invalid", "Räume können nur für freigegebene Partner geöffnet werden.", {
      partnerIds: "Nur freigegebene Partner auswählen.",
    });
  }
}

/** At creation: the organiser (power level 100 in the new room) opens it to the chosen partners. */
export async function openNewRoomToPartners(
  db: Db,
  room: Pick<Room, "id" | "matrixRoomId">,
  partnerIds: readonly string[],
  organiserPersonId: string,
): Promise<void> {
  if (partnerIds.length === 0) return;
  await setRoomPartners(db, { room, partnerIds: [...partnerIds], actor: `person:${organiserPersonId}`, actorPersonId: organiserPersonId });
}
