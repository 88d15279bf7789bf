import { people, portalSessions, type Person } from "../../../drizzle/schema";
import type { LeaverDeps } from "../../auth/leavers";
import { createTokenCipher, hashSessionId } from "../../auth/token-crypto";
import type { Db } from "../../db/client";
import { createLogger } from "../../log";
import type { FakeHomeserver } from "./fake-homeserver";

/** Test fixtures: people, sessions, and the leaver dependencies wired to fakes. */

export const testTokens = createTokenCipher("test-secret-".padEnd(40, "x"));

export async function insertPerson(
  db: Db,
  p: Partial<typeof people.$inferInsert> & { subject: string; displayName: string },
): Promise<Person> {
  const [row] = await db.insert(people).values(p).returning();
  if (!row) throw new Error("insert failed");
  return row;
}

let counter = 0;

/** An open portal session; `matrixToken` stands for the portal's Matrix device. */
export async function insertSession(
  db: Db,
  personId: string,
  opts: { sid?: string; matrixToken?: string; refreshToken?: string; now?: Date; lastSeenAt?: Date; revokedAt?: Date } = {},
): Promise<string> {
  const raw = `session-${++counter}-${Math.random()}`;
  const now = opts.now ?? new Date();
  await db.insert(portalSessions).values({
    idHash: hashSessionId(raw),
    personId,
    createdAt: now,
    lastSeenAt: opts.lastSeenAt ?? now,
    expiresAt: new Date(now.getTime() + 12 * 3_600_000),
    revokedAt: opts.revokedAt ?? null,
    idpSessionId: opts.sid ?? null,
    refreshTokenEnc: opts.refreshToken ? testTokens.encrypt(opts.refreshToken) : null,
    matrixAccessTokenEnc: opts.matrixToken ? testTokens.encrypt(opts.matrixToken) : null,
  });
  return hashSessionId(raw);
}

export function testLeaverDeps(db: Db, hs: FakeHomeserver): LeaverDeps & { loggedOutTokens: string[] } {
  const loggedOutTokens: string[] = [];
  return {
    db,
    log: createLogger("test", "silent"),
    tokens: testTokens,
    logoutMatrixDevice: async (token) => {
      loggedOutTokens.push(token);
    },
    now: () => new Date(),
    homeserver: hs.context,
    isServiceAccount: (u) => u.startsWith("@_stadtfunk_"),
    loggedOutTokens,
  };
}
