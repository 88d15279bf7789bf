import { and, eq, gt, isNull, lt, sql } from "drizzle-orm";
import { auditLog, guestLinks, guests, rooms, type GuestLink, type Room } from "../../drizzle/schema";
import type { Db } from "../db/client";
import { MatrixApiError } from "../matrix/client-api";
import type { GuestDeps } from "./guest-deps";
import type { RedeemInput } from "./guest-input";
import { announceWaitingGuest } from "./guest-admission";
import { provisionGuest } from "./guest-provisioning";
import { hashGuestSessionId, newGuestSessionId } from "./guest-session";
import { findGuestSession, type GuestSession } from "./guest-sessions";
import { newGuestUserId } from "./guest-user-id";
import { hashLinkSecret, isWellFormedSecret } from "./link-secret";
import { currentUsageRules, rulesForGuests, type RulesForGuests } from "./usage-rules";
import { currentRetentionPolicy } from "../lifecycle/retention-policy";
import { withRetentionNotice } from "../lifecycle/retention-notice";
import { withPartnerNotice } from "../federation/privacy-text";
import { roomPartnerIds } from "../federation/room-partners";

/** What the landing page shows before the guest accepts. */
export interface LinkDetails {
  cityName: string;
  room: { name: string; kind: Room["kind"]; startsAt: string | null; endsAt: string | null };
  requiresAdmission: boolean;
  rules: RulesForGuests;
  /** This browser already holds a guest session for the link: it goes straight back in. */
  returning: boolean;
}

/** The session cookie's guest, if it belongs to the link with this secret. */
async function returningGuest(deps: GuestDeps, tokenHash: string, sessionId: string | null): Promise<GuestSession | null> {
  if (!sessionId) return null;
  const session = await findGuestSession(deps.db, sessionId, deps.now());
  return session && session.link.tokenHash === tokenHash ? session : null;
}

/** Whether this browser's guest session belongs to the link with this secret (a returning guest). */
export async function isReturningGuest(deps: GuestDeps, secret: unknown, sessionId: string | null): Promise<boolean> {
  if (!isWellFormedSecret(secret)) return false;
  return (await returningGuest(deps, hashLinkSecret(secret), sessionId)) !== null;
}

/** The whole set of conditions under which a link may be used once more. */
function redeemable(tokenHash: string, now: Date) {
  return and(
    eq(guestLinks.tokenHash, tokenHash),
    isNull(guestLinks.revokedAt),
    gt(guestLinks.expiresAt, now),
    lt(guestLinks.uses, guestLinks.maxUses),
    sql`exists (select 1 from ${rooms} where ${rooms.id} = ${guestLinks.roomId} and ${rooms.status} = 'active')`,
  );
}

/**
 * Reads a link for the landing page without using it. Unknown, expired,
 * revoked and used-up links all give null - the same generic answer -
 * unless this browser's guest session belongs to the link.
 */
export async function lookUpGuestLink(deps: GuestDeps, secret: unknown, sessionId: string | null): Promise<LinkDetails | null> {
  if (!isWellFormedSecret(secret)) return null;
  const tokenHash = hashLinkSecret(secret);
  const back = await returningGuest(deps, tokenHash, sessionId);
  let found: { link: GuestLink; room: Room } | undefined = back ?? undefined;
  if (!found) {
    [found] = await deps.db
      .select({ link: guestLinks, room: rooms })
      .from(guestLinks)
      .innerJoin(rooms, eq(rooms.id, guestLinks.roomId))
      .where(redeemable(tokenHash, deps.now()))
      .limit(1);
  }
  if (!found) return null;
  const rules = await currentUsageRules(deps.db);
  return {
    cityName: deps.config.cityName,
    room: {
      name: found.room.name,
      kind: found.room.kind,
      startsAt: found.room.startsAt?.toISOString() ?? null,
      endsAt: found.room.endsAt?.toISOString() ?? null,
    },
    requiresAdmission: found.link.requiresAdmission,
    // The privacy notice's retention periods come from the policy the cleanup enforces.
    // … and a room shared with partner organisations says so before the guest accepts.
    rules: withPartnerNotice(
      withRetentionNotice(rulesForGuests(rules, deps.config.cityName), await currentRetentionPolicy(deps.db)),
      (await roomPartnerIds(deps.db, found.room.id)).length > 0,
    ),
    returning: back !== null,
  };
}

/**
 * Uses the link once, atomically: one conditional UPDATE decides, so of
 * any number of simultaneous redemptions of a link with n uses left exactly
 * n succeed (INV-03). Never read-then-write.
 */
export async function claimLinkUse(db: Db, tokenHash: string, now: Date): Promise<GuestLink | null> {
  const [link] = await db
    .update(guestLinks)
    .set({ uses: sql`${guestLinks.uses} + 1` })
    .where(redeemable(tokenHash, now))
    .returning();
  return link ?? null;
}

export type RedeemOutcome =
  | { kind: "refused" }
  | { kind: "rules-outdated"; version: number }
  | {
      kind: "redeemed";
      guestId: string;
      status: "waiting" | "admitted";
      /** A new session id for the cookie; null when the browser's existing session was resumed. */
      sessionId: string | null;
      expiresAt: Date;
      /** False when the homeserver steps failed; the same session completes them on retry. */
      ready: boolean;
    };

async function completeOnHomeserver(deps: GuestDeps, session: GuestSession): Promise<boolean> {
  try {
    await provisionGuest(deps, session);
    return true;
  } catch (err) {
    const problem = err instanceof MatrixApiError ? `${err.status} ${err.errcode}` : (err as Error).message;
    deps.log.warn({ guestId: session.guest.id, roomId: session.room.matrixRoomId, problem }, "guest set-up incomplete; a retry repairs it");
    return false;
  }
}

/**
 * Redeems a link for a guest who accepted the current usage rules. A
 * browser that already holds a session for this link is taken back to its
 * account (even when the link is used up); anyone else uses the link once
 * and gets a new account in the service's namespace.
 */
export async function redeemGuestLink(deps: GuestDeps, input: RedeemInput, sessionId: string | null): Promise<RedeemOutcome> {
  if (!isWellFormedSecret(input.secret)) return { kind: "refused" };
  const tokenHash = hashLinkSecret(input.secret);

  const back = await returningGuest(deps, tokenHash, sessionId);
  if (back) {
    const ready = await completeOnHomeserver(deps, back);
    return { kind: "redeemed", guestId: back.guest.id, status: back.guest.status as "waiting" | "admitted", sessionId: null, expiresAt: back.guest.expiresAt, ready };
  }

  const rules = await currentUsageRules(deps.db);
  if (input.rulesVersion !== rules.version) return { kind: "rules-outdated", version: rules.version };

  const now = deps.now();
  const newSessionId = newGuestSessionId();
  const created = await deps.db.transaction(async (tx) => {
    const link = await claimLinkUse(tx as unknown as Db, tokenHash, now);
    if (!link) return null;
    const [guest] = await tx
      .insert(guests)
      .values({
        linkId: link.id,
        matrixUserId: newGuestUserId(deps.config.userPrefix, deps.config.serverName),
        displayName: input.displayName,
        sessionHash: hashGuestSessionId(newSessionId),
        acceptedRulesVersion: rules.version,
        acceptedAt: now,
        status: link.requiresAdmission ? "waiting" : "admitted",
        expiresAt: link.expiresAt,
        createdAt: now,
      })
      .returning();
    await tx.insert(auditLog).values({
      at: now,
      actor: `guest:${guest!.id}`,
      action: "guest.redeemed",
      subject: link.id,
      details: { rulesVersion: rules.version, status: guest!.status },
    });
    return { link, guest: guest! };
  });
  if (!created) return { kind: "refused" };

  const session = await findGuestSession(deps.db, newSessionId, now);
  const ready = session ? await completeOnHomeserver(deps, session) : false;
  if (session && session.guest.status === "waiting") await announceWaitingGuest(deps, session);
  return {
    kind: "redeemed",
    guestId: created.guest.id,
    status: created.guest.status as "waiting" | "admitted",
    sessionId: newSessionId,
    expiresAt: created.guest.expiresAt,
    ready,
  };
}
