import { and, eq, isNull } from "drizzle-orm";
import { people, portalSessions, type Person, type PortalSession } from "../../drizzle/schema";
import type { Db } from "../db/client";
import { sessionState, shouldTouch } from "./session-policy";
import { hashSessionId, newSessionId } from "./token-crypto";

export interface NewSessionInput {
  personId: string;
  idpSessionId: string | null;
  idTokenEnc: string | null;
  refreshTokenEnc: string | null;
  now: Date;
  maxHours: number;
}

/** Returns the raw session id; only its hash is stored. */
export async function createPortalSession(db: Db, input: NewSessionInput): Promise<string> {
  const id = newSessionId();
  await db.insert(portalSessions).values({
    idHash: hashSessionId(id),
    personId: input.personId,
    createdAt: input.now,
    lastSeenAt: input.now,
    expiresAt: new Date(input.now.getTime() + input.maxHours * 3_600_000),
    idpSessionId: input.idpSessionId,
    idTokenEnc: input.idTokenEnc,
    refreshTokenEnc: input.refreshTokenEnc,
  });
  return id;
}

export interface ActiveSession {
  session: PortalSession;
  person: Person;
}

/** The session behind a cookie if it may still be used; ends idle or expired sessions on the way. */
export async function findActiveSession(
  db: Db,
  rawId: string,
  now: Date,
  idleMinutes: number,
): Promise<ActiveSession | null> {
  const idHash = hashSessionId(rawId);
  const [row] = await db
    .select({ session: portalSessions, person: people })
    .from(portalSessions)
    .innerJoin(people, eq(people.id, portalSessions.personId))
    .where(eq(portalSessions.idHash, idHash))
    .limit(1);
  if (!row) return null;
  const state = sessionState(row.session, now, idleMinutes);
  if (state !== "active" || row.person.disabledAt) {
    if (state === "idle" || state === "expired") await revokeSession(db, rawId, state, now);
    return null;
  }
  if (shouldTouch(row.session.lastSeenAt, now)) {
    await db.update(portalSessions).set({ lastSeenAt: now }).where(eq(portalSessions.idHash, idHash));
  }
  return row;
}

export async function revokeSession(db: Db, rawId: string, reason: string, now: Date): Promise<PortalSession | null> {
  const [row] = await db
    .update(portalSessions)
    .set({ revokedAt: now, revokeReason: reason, matrixLoginState: null })
    .where(and(eq(portalSessions.idHash, hashSessionId(rawId)), isNull(portalSessions.revokedAt)))
    .returning();
  return row ?? null;
}

export async function setMatrixLoginState(db: Db, rawId: string, state: string): Promise<void> {
  await db.update(portalSessions).set({ matrixLoginState: state }).where(eq(portalSessions.idHash, hashSessionId(rawId)));
}

/**
 * Consumes the one-time Matrix login state: a conditional update, so a
 * replayed callback finds nothing to consume.
 */
export async function consumeMatrixLoginState(db: Db, rawId: string, state: string): Promise<boolean> {
  const rows = await db
    .update(portalSessions)
    .set({ matrixLoginState: null })
    .where(and(eq(portalSessions.idHash, hashSessionId(rawId)), eq(portalSessions.matrixLoginState, state)))
    .returning({ idHash: portalSessions.idHash });
  return rows.length === 1;
}

export async function attachMatrixSession(
  db: Db,
  rawId: string,
  m: { userId: string; deviceId: string; accessTokenEnc: string },
): Promise<void> {
  await db
    .update(portalSessions)
    .set({ matrixUserId: m.userId, matrixDeviceId: m.deviceId, matrixAccessTokenEnc: m.accessTokenEnc })
    .where(eq(portalSessions.idHash, hashSessionId(rawId)));
}
