import { and, desc, eq, inArray, isNull } from "drizzle-orm";
import { auditLog, guestLinks, guests, type Guest, type GuestLink, type Person, type Room } from "../../drizzle/schema";
import { AppError } from "../errors";
import type { CreateGuestLinkInput } from "./guest-input";
import type { GuestDeps } from "./guest-deps";
import { removeGuest, type RemovalResult } from "./guest-removal";
import { guestLinkUrl, hashLinkSecret, newLinkSecret } from "./link-secret";
import { defaultLinkExpiry, expiryProblem, linkStatus, type LinkStatus } from "./link-policy";
import { requireRoomModerator } from "./room-moderator";
import { currentPolicy } from "../policy/policy-store";

/** Who acts: a signed-in person and the Matrix account the homeserver knows them by. */
export interface Moderator {
  person: Person;
  matrixUserId: string | null;
}

/** What creating a link needs: no guest accounts yet, so the bots can create links too. */
export type LinkCreationDeps = Pick<GuestDeps, "db" | "service" | "config" | "log" | "now">;

/** History a guest may read starts at their join (DP-09); staff keep what they could already read. */
async function limitHistoryToJoined(deps: LinkCreationDeps, matrixRoomId: string): Promise<void> {
  const current = await deps.service.getStateEvent(matrixRoomId, "m.room.history_visibility", "");
  const visibility = current?.history_visibility;
  if (visibility === "joined" || visibility === "invited") return;
  await deps.service.sendState(matrixRoomId, "m.room.history_visibility", "", { history_visibility: "joined" });
  deps.log.info({ roomId: matrixRoomId }, "history visibility limited to joined members for guests");
}

export interface CreatedGuestLink {
  link: GuestLink;
  room: Room;
  /** The only time the secret exists outside the guest's browser. */
  url: string;
}

export async function createGuestLink(
  deps: LinkCreationDeps,
  actor: Moderator,
  matrixRoomId: string,
  input: CreateGuestLinkInput,
): Promise<CreatedGuestLink> {
  const { room } = await requireRoomModerator(deps, matrixRoomId, actor.matrixUserId);
  const now = deps.now();
  // The guest limits of the usage policy admins edit under /admin/richtlinie.
  const { guests: limits } = (await currentPolicy(deps.db)).policy;
  const expiresAt = input.expiresAt ?? defaultLinkExpiry(room, now, limits);
  const problem = expiryProblem(expiresAt, now, limits);
  if (problem) throw new AppError("bad-expiry", "invalid", problem, { expiresAt: problem });
  if (input.maxUses > limits.maxUses) {
    const tooMany = `Höchstens ${limits.maxUses} Nutzungen.`;
    throw new AppError("too-many-uses", "invalid", tooMany, { maxUses: tooMany });
  }

  await limitHistoryToJoined(deps, matrixRoomId);
  const secret = newLinkSecret();
  const [link] = await deps.db
    .insert(guestLinks)
    .values({
      roomId: room.id,
      tokenHash: hashLinkSecret(secret),
      label: input.label,
      expiresAt,
      maxUses: input.maxUses,
      requiresAdmission: input.requiresAdmission,
      createdBy: actor.person.id,
      createdAt: now,
    })
    .returning();
  await deps.db.insert(auditLog).values({
    at: now,
    actor: actor.person.id,
    action: "guest-link.created",
    subject: link!.id,
    details: { roomId: matrixRoomId, maxUses: input.maxUses, expiresAt: expiresAt.toISOString(), requiresAdmission: input.requiresAdmission },
  });
  deps.log.info({ roomId: matrixRoomId, linkId: link!.id, maxUses: input.maxUses }, "guest link created");
  return { link: link!, room, url: guestLinkUrl(deps.config.portalUrl, secret) };
}

export interface GuestLinkListing {
  link: GuestLink;
  status: LinkStatus;
  guests: Pick<Guest, "id" | "displayName" | "status" | "joinedAt" | "removedAt" | "createdAt">[];
}

export async function listGuestLinks(deps: GuestDeps, actor: Moderator, matrixRoomId: string): Promise<GuestLinkListing[]> {
  const { room } = await requireRoomModerator(deps, matrixRoomId, actor.matrixUserId);
  const now = deps.now();
  const links = await deps.db.select().from(guestLinks).where(eq(guestLinks.roomId, room.id)).orderBy(desc(guestLinks.createdAt));
  const ids = links.map((l) => l.id);
  const rows = ids.length
    ? await deps.db
        .select({
          id: guests.id,
          linkId: guests.linkId,
          displayName: guests.displayName,
          status: guests.status,
          joinedAt: guests.joinedAt,
          removedAt: guests.removedAt,
          createdAt: guests.createdAt,
        })
        .from(guests)
        .where(inArray(guests.linkId, ids))
        .orderBy(guests.createdAt)
    : [];
  return links.map((link) => ({
    link,
    status: linkStatus(link, now),
    guests: rows.filter((g) => g.linkId === link.id).map(({ linkId: _linkId, ...g }) => g),
  }));
}

export interface RevocationResult {
  linkId: string;
  removals: RemovalResult[];
}

/**
 * Revokes a link and removes its guests from the room (kick by the bot,
 * account deactivated). Repeating it repairs a removal that failed halfway.
 */
export async function revokeGuestLink(
  deps: GuestDeps,
  actor: Moderator,
  matrixRoomId: string,
  linkId: string,
): Promise<RevocationResult> {
  const { room } = await requireRoomModerator(deps, matrixRoomId, actor.matrixUserId);
  const now = deps.now();
  const link = await deps.db.query.guestLinks.findFirst({ where: and(eq(guestLinks.id, linkId), eq(guestLinks.roomId, room.id)) });
  if (!link) throw new AppError("link-not-found", "not-found", "Diesen Gastlink gibt es nicht.");
  const revoked = await deps.db
    .update(guestLinks)
    .set({ revokedAt: now, revokedBy: actor.person.id })
    .where(and(eq(guestLinks.id, link.id), isNull(guestLinks.revokedAt)))
    .returning({ id: guestLinks.id });
  if (revoked.length > 0) {
    await deps.db.insert(auditLog).values({ at: now, actor: actor.person.id, action: "guest-link.revoked", subject: link.id, details: { roomId: matrixRoomId } });
  }
  const present = await deps.db.select().from(guests).where(and(eq(guests.linkId, link.id), isNull(guests.removedAt)));
  const removals: RemovalResult[] = [];
  for (const guest of present) {
    removals.push(await removeGuest(deps, guest, matrixRoomId, "Der Gastzugang wurde widerrufen."));
  }
  deps.log.info({ roomId: matrixRoomId, linkId: link.id, removed: removals.filter((r) => r.done).length }, "guest link revoked");
  return { linkId: link.id, removals };
}
