import { and, eq, inArray, isNotNull, isNull, lte, or } from "drizzle-orm";
import { auditLog, guestLinks, guests, rooms, type Guest } from "../../drizzle/schema";
import { MatrixApiError } from "../matrix/client-api";
import type { GuestDeps } from "./guest-deps";

export interface RemovalResult {
  guestId: string;
  done: boolean;
  problem?: string;
}

/**
 * Takes a guest out: the bot kicks them from the room, the account is
 * deactivated (every token dies, so the browser's Matrix session ends and
 * no further room can be joined), and the row is marked. Each step may be
 * repeated, so a failure part-way is repaired by the next run.
 */
export async function removeGuest(deps: GuestDeps, guest: Guest, matrixRoomId: string, reason: string): Promise<RemovalResult> {
  try {
    await deps.accounts.kick(matrixRoomId, guest.matrixUserId, reason);
    try {
      await deps.accounts.deactivate(guest.matrixUserId);
    } catch (err) {
      // Never registered (redemption stopped before the account existed): nothing to deactivate.
      if (!(err instanceof MatrixApiError && err.status === 404)) throw err;
    }
    const now = deps.now();
    await deps.db
      .update(guests)
      .set({
        status: guest.status === "rejected" ? "rejected" : "expired",
        removedAt: now,
        matrixAccessTokenEnc: null,
      })
      .where(eq(guests.id, guest.id));
    await deps.db.insert(auditLog).values({ at: now, actor: "system", action: "guest.removed", subject: guest.id, details: { roomId: matrixRoomId, reason } });
    return { guestId: guest.id, done: true };
  } catch (err) {
    const problem = err instanceof MatrixApiError ? err.errcode : (err as Error).message;
    deps.log.warn({ guestId: guest.id, roomId: matrixRoomId, problem }, "guest removal failed; the next run repairs it");
    return { guestId: guest.id, done: false, problem };
  }
}

/**
 * Removes every guest whose time is up: their link or meeting validity
 * ended, the link was revoked, or a moderator rejected them. Meant for a
 * periodic job (started with the portal); safe to run from several places.
 */
export async function removeDueGuests(deps: GuestDeps, limit = 100): Promise<RemovalResult[]> {
  const now = deps.now();
  const due = await deps.db
    .select({ guest: guests, matrixRoomId: rooms.matrixRoomId })
    .from(guests)
    .innerJoin(guestLinks, eq(guestLinks.id, guests.linkId))
    .innerJoin(rooms, eq(rooms.id, guestLinks.roomId))
    .where(
      and(
        isNull(guests.removedAt),
        or(lte(guests.expiresAt, now), isNotNull(guestLinks.revokedAt), inArray(guests.status, ["rejected", "expired"])),
      ),
    )
    .limit(limit);
  const results: RemovalResult[] = [];
  for (const { guest, matrixRoomId } of due) {
    if (!matrixRoomId) continue;
    results.push(await removeGuest(deps, guest, matrixRoomId, "Der Gastzugang ist abgelaufen."));
  }
  return results;
}
