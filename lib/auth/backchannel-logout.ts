import { discoverIdp } from "./idp-discovery";
import { and, eq, isNull, type SQL } from "drizzle-orm";
import { jwtVerify, type JWTVerifyGetKey } from "jose";
import { z } from "zod";
import { people, portalSessions, type PortalSession } from "../../drizzle/schema";
import type { Db } from "../db/client";
import type { Logger } from "../log";
import { logoutDevice } from "../matrix/sso-login";
import { portalRuntime } from "../portal/runtime";
import type { TokenCipher } from "./token-crypto";

/**
 * OpenID Connect Back-Channel Logout 1.0: the identity provider posts a
 * signed logout token when a person's session there ends; the portal ends
 * every session that came from it and logs out their Matrix devices.
 */

export const BACKCHANNEL_LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout";

export interface LogoutTokenCheck {
  issuer: string;
  clientId: string;
  algorithms: string[];
  keys: JWTVerifyGetKey | CryptoKey;
  currentDate?: Date;
  /** Oldest acceptable `iat`; logout tokens are meant to be used at once. */
  maxAgeSeconds?: number;
}

export type LogoutTokenVerdict =
  | { valid: true; sid: string | null; sub: string | null; jti: string }
  | { valid: false; problem: string };

const logoutClaimsSchema = z.object({
  events: z.record(z.string(), z.unknown()),
  jti: z.string().min(1),
  sid: z.string().min(1).optional(),
  sub: z.string().min(1).optional(),
});

/** Section 2.6 of the specification: signature, iss, aud, iat, the logout event, no nonce, sid and/or sub. */
export async function verifyLogoutToken(token: string, check: LogoutTokenCheck): Promise<LogoutTokenVerdict> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, check.keys as JWTVerifyGetKey, {
      issuer: check.issuer,
      audience: check.clientId,
      algorithms: check.algorithms,
      requiredClaims: ["iat"],
      maxTokenAge: check.maxAgeSeconds ?? 300,
      clockTolerance: 30,
      currentDate: check.currentDate,
    }));
  } catch (err) {
    const { code, claim } = err as { code?: string; claim?: string };
    return { valid: false, problem: `${code ?? "invalid token"}${claim ? ` (${claim})` : ""}` };
  }
  if ("nonce" in payload) return { valid: false, problem: "a logout token must not carry a nonce" };
  const claims = logoutClaimsSchema.safeParse(payload);
  if (!claims.success) return { valid: false, problem: "missing events or jti claim" };
  const event = claims.data.events[BACKCHANNEL_LOGOUT_EVENT];
  if (!event || typeof event !== "object" || Array.isArray(event)) {
    return { valid: false, problem: "not a back-channel logout event" };
  }
  const { sid, sub, jti } = claims.data;
  if (!sid && !sub) return { valid: false, problem: "neither sid nor sub" };
  return { valid: true, sid: sid ?? null, sub: sub ?? null, jti };
}

/** Token ids handled in this process, kept beyond a logout token's lifetime: a replay is acknowledged without work. */
const handledJtis = new Map<string, number>();
function isReplay(jti: string, nowMs: number): boolean {
  for (const [id, until] of handledJtis) if (until < nowMs) handledJtis.delete(id);
  return handledJtis.has(jti);
}

export interface SessionEndDeps {
  db: Db;
  log: Logger;
  tokens: TokenCipher;
  /** Logs out one Matrix device by its access token. */
  logoutMatrixDevice: (accessToken: string) => Promise<void>;
  now: () => Date;
}

/** Revokes the still-open sessions matching `where` and logs out the Matrix device each one created. */
export async function endPortalSessions(deps: SessionEndDeps, where: SQL, reason: string): Promise<PortalSession[]> {
  const ended = await deps.db
    .update(portalSessions)
    .set({ revokedAt: deps.now(), revokeReason: reason, matrixLoginState: null })
    .where(and(where, isNull(portalSessions.revokedAt)))
    .returning();
  await Promise.all(
    ended.map(async (s) => {
      if (!s.matrixAccessTokenEnc) return;
      // Synapse may have ended the device already (its own back-channel logout); that is fine.
      await deps.logoutMatrixDevice(deps.tokens.decrypt(s.matrixAccessTokenEnc)).catch((err: Error) =>
        deps.log.info({ err: err.message, personId: s.personId }, "matrix device already logged out"),
      );
    }),
  );
  return ended;
}

export interface BackchannelDeps extends SessionEndDeps {
  verify: (token: string) => Promise<LogoutTokenVerdict>;
  /** The ID-token claim people are keyed on; `sub`-only logout tokens map to people only when it is `sub`. */
  subjectClaim: string;
}

export type BackchannelResult = { status: 200; ended: number } | { status: 400; error: string; description: string };

/** Verifies the logout token and ends the sessions it names; the route turns the result into HTTP. */
export async function handleBackchannelLogout(logoutToken: unknown, deps: BackchannelDeps): Promise<BackchannelResult> {
  if (typeof logoutToken !== "string" || logoutToken.length === 0 || logoutToken.length > 16_384) {
    return { status: 400, error: "invalid_request", description: "logout_token missing" };
  }
  let verdict: LogoutTokenVerdict;
  try {
    verdict = await deps.verify(logoutToken);
  } catch (err) {
    // The issuer's keys could not be fetched: the token cannot be checked, so nothing is ended.
    deps.log.error({ err: (err as Error).message }, "back-channel logout: identity provider keys unavailable");
    return { status: 400, error: "logout_failed", description: "logout token could not be verified" };
  }
  if (!verdict.valid) {
    deps.log.warn({ problem: verdict.problem }, "back-channel logout token rejected");
    return { status: 400, error: "invalid_request", description: "invalid logout token" };
  }
  if (isReplay(verdict.jti, deps.now().getTime())) return { status: 200, ended: 0 };

  // People are keyed on the configured claim; a `sub` names them only when that claim is `sub`.
  const bySubject = verdict.sub !== null && deps.subjectClaim === "sub";
  const person = bySubject
    ? await deps.db.query.people.findFirst({ where: eq(people.subject, verdict.sub as string), columns: { id: true } })
    : undefined;
  let where: SQL | undefined;
  if (bySubject && !person) {
    where = undefined;
  } else if (verdict.sid) {
    // With both, the session must also belong to that person: one IdP session, one person.
    where = person
      ? and(eq(portalSessions.idpSessionId, verdict.sid), eq(portalSessions.personId, person.id))
      : eq(portalSessions.idpSessionId, verdict.sid);
  } else if (person) {
    where = eq(portalSessions.personId, person.id);
  }
  if (!where) {
    handledJtis.set(verdict.jti, deps.now().getTime() + 10 * 60_000);
    deps.log.info("back-channel logout for no known session");
    return { status: 200, ended: 0 };
  }
  try {
    const ended = await endPortalSessions(deps, where, "idp-logout");
    handledJtis.set(verdict.jti, deps.now().getTime() + 10 * 60_000);
    deps.log.info({ ended: ended.length, bySid: Boolean(verdict.sid) }, "back-channel logout");
    return { status: 200, ended: ended.length };
  } catch (err) {
    deps.log.error({ err }, "back-channel logout failed");
    return { status: 400, error: "logout_failed", description: "sessions could not be ended" };
  }
}

/** Session-ending dependencies of the running portal. */
export function portalSessionEndDeps(): SessionEndDeps {
  const { config, db, log, tokens } = portalRuntime();
  return {
    db,
    log,
    tokens,
    logoutMatrixDevice: (token) => logoutDevice(config.matrix.homeserverUrl, token),
    now: () => new Date(),
  };
}

/** The running portal's dependencies: its issuer, client id, database and homeserver. */
export function portalBackchannelDeps(): BackchannelDeps {
  const { config } = portalRuntime();
  return {
    ...portalSessionEndDeps(),
    subjectClaim: config.oidc.subjectClaim,
    async verify(token) {
      const idp = await discoverIdp(config.oidc.issuer);
      return verifyLogoutToken(token, {
        issuer: idp.issuer,
        clientId: config.oidc.clientId,
        algorithms: idp.algorithms,
        keys: idp.keys,
      });
    },
  };
}

export { discoverIdp };
