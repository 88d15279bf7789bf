import { and, asc, eq, gt, isNotNull, max } from "drizzle-orm";
import { auditLog, rooms } from "../../drizzle/schema";
import { federationChanges } from "../../drizzle/tables/partners";
import type { Db } from "../db/client";
import type { Logger } from "../log";
import type { StateEvent } from "../matrix/service-client";
import { approvedPartnersOfRoom, roomsOfPartner } from "./room-partners";
import { desiredServerAcl, isAclExactly, type ServerAclContent } from "./server-acl";
import { aclHost, serverOfUserId } from "./server-names";

/** What keeping a room's federation in line needs from the homeserver (as the service's bot). */
export interface FederationRoomClient {
  userId: string;
  getState(roomId: string): Promise<StateEvent[]>;
  sendState(roomId: string, eventType: string, stateKey: string, content: Record<string, unknown>): Promise<string>;
  kick(roomId: string, userId: string, reason: string): Promise<void>;
}

export interface AclSyncDeps {
  db: Db;
  client: FederationRoomClient;
  ownServerName: string;
  logger: Logger;
  isDryRun?: boolean;
}

export interface RoomFederationResult {
  roomId: string;
  acl: ServerAclContent;
  aclChanged: boolean;
  removed: string[];
}

export const ACL_ACTOR = "bot:policy";
export const REMOVAL_REASON = "Dieser Raum ist für Ihre Organisation nicht (mehr) freigegeben.";

const PRESENT = new Set(["join", "invite", "knock"]);

/**
 * Brings one managed room to what the database says: the ACL allows exactly
 * our server and the approved partners opened here, and members of any other
 * remote server are removed. Users are removed first, so their server still
 * hears of it before the ACL shuts it out. Judging current state makes a
 * repeat harmless.
 */
export async function applyRoomFederation(deps: AclSyncDeps, roomId: string, trigger: string): Promise<RoomFederationResult> {
  const partners = await approvedPartnersOfRoom(deps.db, roomId);
  const acl = desiredServerAcl(deps.ownServerName, partners.flatMap((p) => p.serverNames));
  const state = await deps.client.getState(roomId);
  const removed: string[] = [];
  for (const e of state) {
    if (e.type !== "m.room.member" || !PRESENT.has(String(e.content.membership))) continue;
    const server = serverOfUserId(e.state_key);
    if (!server || acl.allow.includes(aclHost(server))) continue;
    removed.push(e.state_key);
  }
  const current = state.find((e) => e.type === "m.room.server_acl" && e.state_key === "")?.content ?? null;
  const aclChanged = !isAclExactly(current, acl);
  if (deps.isDryRun) {
    if (aclChanged || removed.length) deps.logger.info({ roomId, acl, removed, dryRun: true }, "federation: would apply");
    return { roomId, acl, aclChanged, removed };
  }
  for (const userId of removed) {
    await deps.client.kick(roomId, userId, REMOVAL_REASON);
  }
  let eventId: string | null = null;
  if (aclChanged) eventId = await deps.client.sendState(roomId, "m.room.server_acl", "", { ...acl });
  if (aclChanged || removed.length) {
    await deps.db.insert(auditLog).values({
      actor: ACL_ACTOR,
      action: "federation.room-federation-applied",
      subject: roomId,
      details: { trigger, before: current, after: acl, removedUsers: removed, aclEventId: eventId, botUserId: deps.client.userId },
    });
    deps.logger.info({ roomId, trigger, aclChanged, removed: removed.length }, "room federation applied");
  }
  return { roomId, acl, aclChanged, removed };
}

/** The newest change id; the bots start from here after their full sweep. */
export async function latestFederationChange(db: Db): Promise<number> {
  const [row] = await db.select({ id: max(federationChanges.id) }).from(federationChanges);
  return Number(row?.id ?? 0);
}

/** Every active managed room, for the full sweep after a start. */
export async function activeManagedRoomIds(db: Db): Promise<string[]> {
  const rows = await db
    .select({ roomId: rooms.matrixRoomId })
    .from(rooms)
    .where(and(eq(rooms.status, "active"), isNotNull(rooms.matrixRoomId)));
  return rows.map((r) => r.roomId).filter((id): id is string => id !== null);
}

/**
 * Applies the changes recorded after `afterId` (partner approved, suspended
 * or edited; a room opened or closed to partners), each affected room once,
 * `concurrency` rooms at a time. Returns the id to continue from; a room
 * that failed is retried with the next round (the cursor stays before it).
 */
export async function processFederationChanges(
  deps: AclSyncDeps,
  afterId: number,
  opts: { concurrency?: number; batch?: number } = {},
): Promise<{ lastId: number; rooms: RoomFederationResult[] }> {
  const changes = await deps.db
    .select()
    .from(federationChanges)
    .where(gt(federationChanges.id, afterId))
    .orderBy(asc(federationChanges.id))
    .limit(opts.batch ?? 100);
  if (changes.length === 0) return { lastId: afterId, rooms: [] };
  const roomIds = new Set<string>();
  for (const change of changes) {
    if (change.kind === "partner" && change.partnerId) {
      for (const id of await roomsOfPartner(deps.db, change.partnerId)) roomIds.add(id);
    } else if (change.kind === "room" && change.roomId) {
      const [room] = await deps.db
        .select({ matrixRoomId: rooms.matrixRoomId })
        .from(rooms)
        .where(and(eq(rooms.id, change.roomId), eq(rooms.status, "active")));
      if (room?.matrixRoomId) roomIds.add(room.matrixRoomId);
    }
  }
  const trigger = `federation-change:${changes.at(-1)!.id}`;
  const results = await mapLimited([...roomIds], opts.concurrency ?? 8, (roomId) => applyRoomFederation(deps, roomId, trigger));
  return { lastId: changes.at(-1)!.id, rooms: results };
}

async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
