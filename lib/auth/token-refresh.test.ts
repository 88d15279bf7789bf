import { createHash, randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { UnsecuredJWT } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditLog, people, portalSessions, type Person } from "../../drizzle/schema";
import { parseConfig } from "../config/load";
import { createUserStore, DEMO_PASSWORD, DEMO_USERS } from "../dev-idp/demo-users";
import { generateCookieKeys } from "../dev-idp/keys";
import { startDevIdp, type RunningDevIdp } from "../dev-idp/provider";
import { createLogger } from "../log";
import { fakeHomeserver } from "../people/testing/fake-homeserver";
import { insertPerson, insertSession, testLeaverDeps, testTokens } from "../people/testing/seed";
import { DB_SETUP_MS, createTestDb, type TestDb } from "../db/testing/test-db";
import { classifyRefreshFailure, refreshActiveSessions, refreshSession, type RefreshDeps } from "./token-refresh";

const ISSUER = "https://sso.stadt.example";
const CLIENT = { id: "stadtfunk-portal", secret: "portal-secret-0123456789" };
const oidc = (issuer = ISSUER) =>
  parseConfig({ OIDC_ISSUER: issuer, OIDC_CLIENT_ID: CLIENT.id, OIDC_CLIENT_SECRET: CLIENT.secret, OIDC_ALLOWED_GROUPS: "bauamt,kaemmerei,stadtfunk-admins" }).oidc;

describe("classifyRefreshFailure", () => {
  it.each([
    [400, { error: "invalid_grant", error_description: "User disabled" }, "account-gone"],
    [400, { error: "invalid_grant", error_description: "Unknown user" }, "account-gone"],
    [400, { error: "invalid_grant", error_description: "AADSTS50057: The user account is disabled." }, "account-gone"],
    [400, { error: "invalid_grant", error_description: "AADSTS50034: The user account does not exist in the directory." }, "account-gone"],
    [400, { error: "invalid_grant", error_description: "Session not active" }, "grant-gone"],
    [400, { error: "invalid_grant", error_description: "grant request is invalid" }, "grant-gone"],
    [400, { error: "invalid_grant" }, "grant-gone"],
    [401, { error: "invalid_client" }, "transient"],
    [400, { error: "invalid_request", error_description: "User disabled" }, "transient"],
    [503, { error: "invalid_grant", error_description: "User disabled" }, "transient"],
    [502, "<html>Bad gateway</html>", "transient"],
  ] as const)("%i %j → %s", (status, body, expected) => {
    expect(classifyRefreshFailure(status, body)).toBe(expected);
  });
});

const idToken = (claims: Record<string, unknown>) =>
  new UnsecuredJWT({ iss: ISSUER, aud: CLIENT.id, sub: "sub-dieter", groups: ["bauamt"], ...claims }).setIssuedAt().setExpirationTime("1h").encode();

describe("refreshSession", () => {
  let t: TestDb;
  let dieter: Person;
  beforeAll(async () => {
    t = await createTestDb();
  }, DB_SETUP_MS);
  afterAll(() => t.close());
  beforeEach(async () => {
    await t.db.delete(auditLog);
    await t.db.delete(people);
    dieter = await insertPerson(t.db, { subject: "sub-dieter", displayName: "Dieter", departments: ["bauamt"] });
  });

  /** A token endpoint that answers with `status` and `body`, recording what it was sent. */
  function deps(status: number, body: unknown) {
    const requests: { auth: string | null; form: URLSearchParams }[] = [];
    const fetchFn = (async (_url: string | URL | Request, init?: RequestInit) => {
      requests.push({ auth: new Headers(init?.headers).get("authorization"), form: new URLSearchParams(String(init?.body)) });
      return Response.json(body, { status });
    }) as typeof fetch;
    const d: RefreshDeps = {
      ...testLeaverDeps(t.db, fakeHomeserver({})),
      oidc: oidc(),
      tokenEndpoint: async () => `${ISSUER}/token`,
      fetchFn,
      idleMinutes: 120,
    };
    return { d, requests };
  }
  const sessionRow = async (idHash: string) => (await t.db.select().from(portalSessions).where(eq(portalSessions.idHash, idHash)))[0]!;

  it("stores the rotated refresh token and the new ID token, encrypted", async () => {
    const id = await insertSession(t.db, dieter.id, { refreshToken: "rt-old" });
    const newIdToken = idToken({});
    const { d, requests } = deps(200, { access_token: "at", refresh_token: "rt-new", id_token: newIdToken, token_type: "Bearer" });
    await expect(refreshSession(d, await sessionRow(id), dieter)).resolves.toBe("refreshed");
    expect(requests[0]?.form.get("grant_type")).toBe("refresh_token");
    expect(requests[0]?.form.get("refresh_token")).toBe("rt-old");
    expect(requests[0]?.auth).toBe(`Basic ${Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString("base64")}`);
    const row = await sessionRow(id);
    expect(row.refreshTokenEnc).not.toContain("rt-new");
    expect(testTokens.decrypt(row.refreshTokenEnc!)).toBe("rt-new");
    expect(testTokens.decrypt(row.idTokenEnc!)).toBe(newIdToken);
    expect(row.revokedAt).toBeNull();
  });

  it("ends only this session when the IdP refuses the grant without saying why", async () => {
    const id = await insertSession(t.db, dieter.id, { refreshToken: "rt", matrixToken: "syt_portal" });
    const other = await insertSession(t.db, dieter.id, { refreshToken: "rt2" });
    const { d } = deps(400, { error: "invalid_grant", error_description: "grant request is invalid" });
    await expect(refreshSession(d, await sessionRow(id), dieter)).resolves.toBe("session-ended");
    expect((await sessionRow(id)).revokeReason).toBe("idp-refresh-refused");
    expect((await sessionRow(other)).revokedAt).toBeNull();
    expect((await t.db.query.people.findFirst({ where: eq(people.id, dieter.id) }))?.disabledAt).toBeNull();
  });

  it("offboards the person when the IdP says the account is disabled", async () => {
    const id = await insertSession(t.db, dieter.id, { refreshToken: "rt" });
    const other = await insertSession(t.db, dieter.id, { refreshToken: "rt2" });
    const { d } = deps(400, { error: "invalid_grant", error_description: "User disabled" });
    await expect(refreshSession(d, await sessionRow(id), dieter)).resolves.toBe("offboarded");
    expect((await t.db.query.people.findFirst({ where: eq(people.id, dieter.id) }))?.disabledAt).toBeInstanceOf(Date);
    expect((await sessionRow(other)).revokeReason).toBe("offboarded");
    const [audit] = await t.db.select().from(auditLog);
    expect(audit).toMatchObject({ actor: "system:token-refresh", action: "person.offboarded", details: { reason: "idp-account-disabled" } });
  });

  it.each([
    [503, { error: "temporarily_unavailable" }],
    [401, { error: "invalid_client" }],
    [200, { unexpected: true }],
  ])("keeps the session and retries later on %i", async (status, body) => {
    const id = await insertSession(t.db, dieter.id, { refreshToken: "rt" });
    const { d } = deps(status, body);
    await expect(refreshSession(d, await sessionRow(id), dieter)).resolves.toBe("retry-later");
    expect((await sessionRow(id)).revokedAt).toBeNull();
  });

  it.each([
    ["another person", { sub: "sub-someone-else" }, "identity-changed"],
    ["a person no longer in an allowed group", { groups: ["praktikum"] }, "access-withdrawn"],
  ])("ends the session when the refreshed ID token names %s", async (_, claims, reason) => {
    const id = await insertSession(t.db, dieter.id, { refreshToken: "rt" });
    const { d } = deps(200, { access_token: "at", id_token: idToken(claims) });
    await expect(refreshSession(d, await sessionRow(id), dieter)).resolves.toBe("session-ended");
    expect((await sessionRow(id)).revokeReason).toBe(reason);
  });

  it("does not mistake claims missing from a refreshed ID token for a change", async () => {
    const id = await insertSession(t.db, dieter.id, { refreshToken: "rt" });
    const { d } = deps(200, { access_token: "at", id_token: idToken({ groups: undefined, sub: undefined }) });
    await expect(refreshSession(d, await sessionRow(id), dieter)).resolves.toBe("refreshed");
  });

  it("refreshes only active sessions: not revoked, not idle, with a refresh token, of enabled people", async () => {
    const now = new Date();
    await insertSession(t.db, dieter.id, { refreshToken: "active" });
    await insertSession(t.db, dieter.id, { refreshToken: "idle", lastSeenAt: new Date(now.getTime() - 3 * 3_600_000) });
    await insertSession(t.db, dieter.id, { refreshToken: "revoked", revokedAt: now });
    await insertSession(t.db, dieter.id);
    const gone = await insertPerson(t.db, { subject: "gone", displayName: "Gone", disabledAt: now });
    await insertSession(t.db, gone.id, { refreshToken: "disabled-person" });
    const { d, requests } = deps(200, { access_token: "at" });
    await expect(refreshActiveSessions(d)).resolves.toEqual({ refreshed: 1, "session-ended": 0, offboarded: 0, "retry-later": 0 });
    expect(requests.map((r) => r.form.get("refresh_token"))).toEqual(["active"]);
  });
});

/** Against the real development identity provider (oidc-provider), in process. */
describe("refreshSession against the development identity provider", () => {
  let idp: RunningDevIdp;
  let t: TestDb;
  const users = createUserStore();
  const redirect = "http://127.0.0.1:9/cb";

  beforeAll(async () => {
    [t, idp] = await Promise.all([
      createTestDb(),
      startDevIdp({
        port: 0,
        users,
        cookieKeys: generateCookieKeys(),
        logger: createLogger("dev-idp-test", "silent"),
        clients: [{ client_id: CLIENT.id, client_secret: CLIENT.secret, redirect_uris: [redirect] }],
      }),
    ]);
  }, DB_SETUP_MS);
  afterAll(async () => {
    await Promise.all([idp?.close(), t?.close()]);
  });

  /** Signs `username` in through the login form and redeems the code: a browser in a few requests. */
  async function signInForRefreshToken(username: string): Promise<string> {
    const jar = new Map<string, string>();
    const request = async (url: string, init: RequestInit = {}) => {
      const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
      const res = await fetch(url, { ...init, redirect: "manual", headers: { ...(init.headers as Record<string, string>), cookie } });
      for (const line of res.headers.getSetCookie()) {
        const [pair = ""] = line.split(";");
        const i = pair.indexOf("=");
        jar.set(pair.slice(0, i), pair.slice(i + 1));
      }
      return res;
    };
    const follow = async (start: string) => {
      let url = start;
      for (let hop = 0; hop < 10; hop++) {
        if (url.startsWith(redirect)) return url;
        const res = await request(url);
        const location = res.headers.get("location");
        if (!location) return { url, html: await res.text() };
        url = new URL(location, idp.url).href;
      }
      throw new Error("too many redirects");
    };
    const verifier = randomBytes(32).toString("base64url");
    const q = new URLSearchParams({
      client_id: CLIENT.id, redirect_uri: redirect, response_type: "code", scope: "openid profile email groups",
      state: "s", nonce: "n", code_challenge: createHash("sha256").update(verifier).digest("base64url"), code_challenge_method: "S256",
    });
    const page = await follow(`${idp.url}/auth?${q}`);
    if (typeof page === "string") throw new Error("expected the login page");
    const action = /action="([^"]+\/login)"/.exec(page.html)?.[1] ?? "";
    const login = await request(new URL(action, idp.url).href, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ username, password: DEMO_PASSWORD }).toString(),
    });
    const done = await follow(new URL(login.headers.get("location") ?? "", idp.url).href);
    if (typeof done !== "string") throw new Error("expected a redirect with a code");
    const code = new URL(done).searchParams.get("code") ?? "";
    const tokens = await fetch(`${idp.url}/token`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString("base64")}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: redirect, code_verifier: verifier }),
    });
    return ((await tokens.json()) as { refresh_token: string }).refresh_token;
  }

  function deps(): RefreshDeps {
    return {
      ...testLeaverDeps(t.db, fakeHomeserver({})),
      oidc: oidc(idp.issuer),
      tokenEndpoint: async () => `${idp.url}/token`,
      fetchFn: fetch,
      idleMinutes: 120,
    };
  }

  it("refreshes a live session, and offboards the person once the account is disabled at the IdP", async () => {
    const bernd = DEMO_USERS.find((u) => u.username === "bernd.bauamt")!;
    const person = await insertPerson(t.db, { subject: bernd.sub, displayName: bernd.name });
    const id = await insertSession(t.db, person.id, { refreshToken: await signInForRefreshToken("bernd.bauamt") });
    const row = async () => (await t.db.select().from(portalSessions).where(eq(portalSessions.idHash, id)))[0]!;

    await expect(refreshSession(deps(), await row(), person)).resolves.toBe("refreshed");

    users.setDisabled("bernd.bauamt", true);
    try {
      // The demo IdP, like Keycloak, names the disabled account in its refusal.
      await expect(refreshSession(deps(), await row(), person)).resolves.toBe("offboarded");
    } finally {
      users.setDisabled("bernd.bauamt", false);
    }
  });
});
