import { and, eq, inArray } from "drizzle-orm";
import { auditLog, guestLinks, guests } from "../../drizzle/schema";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import type { GuestDeps } from "./guest-deps";
import type { Moderator } from "./guest-links";
import { guestDisplayName } from "./guest-names";
import { provisionGuest } from "./guest-provisioning";
import { removeGuest } from "./guest-removal";
import { hashGuestSessionId, isWellFormedSessionId } from "./guest-session";
import type { GuestSession } from "./guest-sessions";
import { requireRoomModerator } from "./room-moderator";

/**
 * The lobby: guests of links that require admission wait (account made, not
 * in the room) until a moderator of the room admits or rejects them. The
 * decision is one conditional update, so two moderators clicking at once
 * decide once.
 */
export async function decideGuest(
  deps: GuestDeps,
  actor: Moderator,
  matrixRoomId: string,
  guestId: string,
  decision: "admit" | "reject",
): Promise<void> {
  const { room } = await requireRoomModerator(deps, matrixRoomId, actor.matrixUserId);
  const now = deps.now();
  const linksOfRoom = deps.db.select({ id: guestLinks.id }).from(guestLinks).where(eq(guestLinks.roomId, room.id));
  const [decided] = await deps.db
    .update(guests)
    .set({ status: decision === "admit" ? "admitted" : "rejected", decidedBy: actor.person.id, decidedAt: now })
    .where(and(eq(guests.id, guestId), eq(guests.status, "waiting"), inArray(guests.linkId, linksOfRoom)))
    .returning();
  if (!decided) throw new AppError("guest-not-waiting", "conflict", "Dieser Gast wartet nicht (mehr) auf Einlass.");
  await deps.db.insert(auditLog).values({ at: now, actor: actor.person.id, action: decision === "admit" ? "guest.admitted" : "guest.rejected", subject: guestId, details: { roomId: matrixRoomId } });

  const link = await deps.db.query.guestLinks.findFirst({ where: eq(guestLinks.id, decided.linkId) });
  if (decision === "reject") {
    await removeGuest(deps, decided, matrixRoomId, "Die Moderation hat den Gast nicht zugelassen.");
    return;
  }
  const session: GuestSession = { guest: decided, link: link!, room: { ...room, matrixRoomId } };
  try {
    await provisionGuest(deps, session);
  } catch (err) {
    // Admitted stays admitted: the guest's waiting page reloads and the room page completes the join.
    deps.log.warn({ guestId, err: (err as Error).message }, "admitted guest not yet in the room");
  }
}

/** Tells Element users in the room that a guest waits; the decision is made in the portal. */
export async function announceWaitingGuest(deps: GuestDeps, session: GuestSession): Promise<void> {
  const url = `${deps.config.portalUrl}/rooms/${encodeURIComponent(session.room.matrixRoomId)}/gaeste`;
  await deps.accounts
    .notice(
      session.room.matrixRoomId,
      `${guestDisplayName(session.guest.displayName)} wartet auf Einlass. Zulassen oder ablehnen: ${url}`,
      `lobby-${session.guest.id}`,
    )
    .catch((err: Error) => deps.log.warn({ guestId: session.guest.id, err: err.message }, "lobby notice not posted"));
}

/**
 * Whether a moderator turned away the guest behind this session cookie. The
 * session opens nothing any more; the page only tells the guest why, instead
 * of the generic "no access".
 */
export async function wasRejected(db: Db, rawSessionId: string | null): Promise<boolean> {
  if (!isWellFormedSessionId(rawSessionId)) return false;
  const [row] = await db
    .select({ id: guests.id })
    .from(guests)
    .where(and(eq(guests.sessionHash, hashGuestSessionId(rawSessionId)), eq(guests.status, "rejected")))
    .limit(1);
  return row !== undefined;
}
