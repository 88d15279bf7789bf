import { getToken } from "next-auth/jwt";
import { cookies, headers } from "next/headers";
import { portalRuntime } from "../portal/runtime";
import { findActiveSession, type ActiveSession } from "./session-store";

export interface SignedIn extends ActiveSession {
  /** The raw session id from the cookie (never logged, never sent to the browser). */
  sessionId: string;
  /** The person's Matrix account: this session's, else the one recorded at their first Matrix sign-in. */
  matrixUserId: string | null;
}

/**
 * The portal session id inside next-auth's encrypted cookie, if any. getToken
 * decrypts and checks the cookie's integrity and expiry; nothing else about
 * identity is read from it.
 */
async function sessionIdFromCookie(): Promise<string | null> {
  const { config } = portalRuntime();
  const [cookieStore, headerStore] = await Promise.all([cookies(), headers()]);
  const token = await getToken({
    req: { cookies: Object.fromEntries(cookieStore.getAll().map((c) => [c.name, c.value])), headers: Object.fromEntries(headerStore) } as never,
    secret: config.portal.authSecret,
    secureCookie: config.portal.url.startsWith("https:"),
  });
  return typeof token?.sid === "string" ? token.sid : null;
}

/**
 * Who is signed in, checked against the database on every call: revoked,
 * idle and expired sessions and disabled people count as signed out.
 */
export async function currentSession(): Promise<SignedIn | null> {
  const sessionId = await sessionIdFromCookie();
  if (!sessionId) return null;
  const { db, config } = portalRuntime();
  const active = await findActiveSession(db, sessionId, new Date(), config.session.idleMinutes);
  return active ? { ...active, sessionId, matrixUserId: active.session.matrixUserId ?? active.person.matrixUserId } : null;
}
