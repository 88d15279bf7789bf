import { and, eq, gt, isNotNull, isNull } from "drizzle-orm";
import { decodeJwt } from "jose";
import { z } from "zod";
import { people, portalSessions, type Person, type PortalSession } from "../../drizzle/schema";
import type { AppConfig } from "../config/load";
import { portalRuntime } from "../portal/runtime";
import { endPortalSessions } from "./backchannel-logout";
import { discoverIdp } from "./idp-discovery";
import { offboardPerson, portalLeaverDeps, type LeaverDeps } from "./leavers";
import { groupsFrom } from "./person-claims";

/**
 * Refreshes the identity-provider tokens of active portal sessions. This is
 * how the portal learns that the IdP no longer vouches for someone: a refused
 * refresh ends that session, and a refusal that says the account is disabled
 * or unknown offboards the person (lib/auth/leavers).
 */

export type RefreshFailure = "account-gone" | "grant-gone" | "transient";
export type RefreshOutcome = "refreshed" | "session-ended" | "offboarded" | "retry-later";

/**
 * How identity providers word "this account is disabled or gone" in an
 * invalid_grant answer: Keycloak ("User disabled", "Unknown user"), Entra ID
 * (AADSTS50057 disabled, AADSTS50034 not in the directory), ADFS, and others.
 * Anything else (expired or revoked grant, ended IdP session) ends only the
 * one portal session: the person may simply have signed out at the IdP.
 */
const ACCOUNT_GONE_PATTERNS = [
  /\b(user|account) (is )?(disabled|deactivated|locked out|blocked)\b/i,
  /\b(unknown|deleted) (user|account)\b/i,
  /\b(user|account) (not found|does not exist|doesn't exist|no longer exists)\b/i,
  /\bAADSTS(50057|50034)\b/,
  /\bMSIS(9615|7068)\b/,
];

const errorBody = z.object({ error: z.string(), error_description: z.string().optional() });

/** Pure: what a failed refresh answer means for the session and the person. */
export function classifyRefreshFailure(status: number, body: unknown): RefreshFailure {
  const parsed = errorBody.safeParse(body);
  if ((status !== 400 && status !== 401) || !parsed.success || parsed.data.error !== "invalid_grant") return "transient";
  const description = parsed.data.error_description ?? "";
  return ACCOUNT_GONE_PATTERNS.some((p) => p.test(description)) ? "account-gone" : "grant-gone";
}

const tokenResponse = z.object({
  access_token: z.string(),
  refresh_token: z.string().optional(),
  id_token: z.string().optional(),
});

export interface RefreshDeps extends LeaverDeps {
  oidc: AppConfig["oidc"];
  tokenEndpoint: () => Promise<string>;
  fetchFn: typeof fetch;
  idleMinutes: number;
}

/** RFC 6749 §2.3.1: client id and secret are form-encoded before Basic encoding. */
function basicAuth(id: string, secret: string): string {
  const form = (s: string) => encodeURIComponent(s).replace(/%20/g, "+");
  return `Basic ${Buffer.from(`${form(id)}:${form(secret)}`).toString("base64")}`;
}

/** A possibly nested claim ("ext.uid"), as person-claims reads it. */
function claimValue(claims: Record<string, unknown>, name: string): unknown {
  return name
    .split(".")
    .reduce<unknown>((v, key) => (v && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined), claims);
}

/**
 * Checks a refreshed ID token (received directly from the token endpoint, so
 * TLS vouches for the issuer) still names the same person, still in an allowed
 * group. Providers may leave claims out of refreshed ID tokens; only claims
 * that are present are checked.
 */
function idTokenProblem(deps: RefreshDeps, idToken: string, person: Person): string | null {
  let claims: Record<string, unknown>;
  try {
    claims = decodeJwt(idToken);
  } catch {
    return "unreadable-id-token";
  }
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (claims.iss !== deps.oidc.issuer || !aud.includes(deps.oidc.clientId)) return "foreign-id-token";
  const subject = claimValue(claims, deps.oidc.subjectClaim);
  if (subject !== undefined && String(subject) !== person.subject) return "identity-changed";
  const groups = claimValue(claims, deps.oidc.groupsClaim);
  const { allowedGroups } = deps.oidc;
  if (groups !== undefined && allowedGroups.length > 0 && !groupsFrom(groups).some((g) => allowedGroups.includes(g))) {
    return "access-withdrawn";
  }
  return null;
}

/** Refreshes one session's IdP tokens and acts on the answer. */
export async function refreshSession(deps: RefreshDeps, session: PortalSession, person: Person): Promise<RefreshOutcome> {
  if (!session.refreshTokenEnc) return "retry-later";
  const endThis = async (reason: string): Promise<RefreshOutcome> => {
    await endPortalSessions(deps, eq(portalSessions.idHash, session.idHash), reason);
    deps.log.info({ personId: person.id, reason }, "portal session ended after token refresh");
    return "session-ended";
  };
  let res: Response;
  try {
    res = await deps.fetchFn(await deps.tokenEndpoint(), {
      method: "POST",
      headers: {
        authorization: basicAuth(deps.oidc.clientId, deps.oidc.clientSecret),
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
      },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: deps.tokens.decrypt(session.refreshTokenEnc) }),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    deps.log.warn({ err: (err as Error).message }, "token refresh: identity provider unreachable");
    return "retry-later";
  }
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const failure = classifyRefreshFailure(res.status, body);
    if (failure === "transient") {
      deps.log.warn({ status: res.status, error: errorBody.safeParse(body).data?.error }, "token refresh failed; will retry");
      return "retry-later";
    }
    if (failure === "grant-gone") return endThis("idp-refresh-refused");
    await offboardPerson(person.id, "idp-account-disabled", "system:token-refresh", deps);
    return "offboarded";
  }
  const tokens = tokenResponse.safeParse(body);
  if (!tokens.success) {
    deps.log.warn("token refresh: unexpected answer from the identity provider");
    return "retry-later";
  }
  const problem = tokens.data.id_token ? idTokenProblem(deps, tokens.data.id_token, person) : null;
  if (problem === "foreign-id-token" || problem === "unreadable-id-token") {
    deps.log.error({ problem }, "token refresh: ID token not for this portal");
    return "retry-later";
  }
  if (problem) return endThis(problem);
  const rotated = {
    ...(tokens.data.refresh_token ? { refreshTokenEnc: deps.tokens.encrypt(tokens.data.refresh_token) } : {}),
    ...(tokens.data.id_token ? { idTokenEnc: deps.tokens.encrypt(tokens.data.id_token) } : {}),
  };
  if (Object.keys(rotated).length > 0) {
    await deps.db
      .update(portalSessions)
      .set(rotated)
      .where(and(eq(portalSessions.idHash, session.idHash), isNull(portalSessions.revokedAt)));
  }
  return "refreshed";
}

/** Refreshes every active session (not revoked, not expired, not idle, person not disabled), a few at a time. */
export async function refreshActiveSessions(deps: RefreshDeps, concurrency = 4): Promise<Record<RefreshOutcome, number>> {
  const now = deps.now();
  const rows = await deps.db
    .select({ session: portalSessions, person: people })
    .from(portalSessions)
    .innerJoin(people, eq(people.id, portalSessions.personId))
    .where(
      and(
        isNull(portalSessions.revokedAt),
        gt(portalSessions.expiresAt, now),
        gt(portalSessions.lastSeenAt, new Date(now.getTime() - deps.idleMinutes * 60_000)),
        isNotNull(portalSessions.refreshTokenEnc),
        isNull(people.disabledAt),
      ),
    );
  const counts: Record<RefreshOutcome, number> = { refreshed: 0, "session-ended": 0, offboarded: 0, "retry-later": 0 };
  const offboarded = new Set<string>();
  const queue = [...rows];
  const worker = async () => {
    for (let row = queue.shift(); row; row = queue.shift()) {
      // One refusal offboards the person; their other sessions are already gone.
      if (offboarded.has(row.person.id)) continue;
      const outcome = await refreshSession(deps, row.session, row.person).catch((err: Error) => {
        deps.log.error({ err: err.message, personId: row?.person.id }, "token refresh failed");
        return "retry-later" as const;
      });
      if (outcome === "offboarded") offboarded.add(row.person.id);
      counts[outcome] += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return counts;
}

/** The running portal's dependencies. */
export function portalRefreshDeps(): RefreshDeps {
  const { config } = portalRuntime();
  return {
    ...portalLeaverDeps(),
    oidc: config.oidc,
    tokenEndpoint: async () => (await discoverIdp(config.oidc.issuer)).tokenEndpoint,
    fetchFn: fetch,
    idleMinutes: config.session.idleMinutes,
  };
}

/** Arbitrary constant: one portal instance sweeps at a time, so a rotated refresh token is never used twice. */
const REFRESH_LOCK_ID = 4_711_2027;

/** One sweep under a database advisory lock; skipped when another portal instance holds it. */
export async function runRefreshSweep(): Promise<Record<RefreshOutcome, number> | null> {
  const { dbHandle, log } = portalRuntime();
  const client = await dbHandle.pool.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>("select pg_try_advisory_lock($1) as locked", [REFRESH_LOCK_ID]);
    if (!rows[0]?.locked) return null;
    try {
      const counts = await refreshActiveSessions(portalRefreshDeps());
      log.debug(counts, "token refresh sweep");
      return counts;
    } finally {
      await client.query("select pg_advisory_unlock($1)", [REFRESH_LOCK_ID]).catch(() => {});
    }
  } finally {
    client.release();
  }
}

/** Starts the periodic sweep in the portal process; returns a stop function. */
export function startTokenRefreshSchedule(intervalMs = 10 * 60_000): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    runRefreshSweep()
      .catch((err: Error) => portalRuntime().log.error({ err: err.message }, "token refresh sweep failed"))
      .finally(() => (running = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
