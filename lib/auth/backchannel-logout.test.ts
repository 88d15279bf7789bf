import { generateKeyPair, SignJWT, type JWTPayload } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { people, portalSessions } from "../../drizzle/schema";
import { fakeHomeserver } from "../people/testing/fake-homeserver";
import { insertPerson, insertSession, testLeaverDeps } from "../people/testing/seed";
import { DB_SETUP_MS, createTestDb, type TestDb } from "../db/testing/test-db";
import {
  BACKCHANNEL_LOGOUT_EVENT,
  discoverIdp,
  handleBackchannelLogout,
  verifyLogoutToken,
  type BackchannelDeps,
  type LogoutTokenCheck,
} from "./backchannel-logout";

const ISSUER = "https://sso.stadt.example";
const CLIENT = "stadtfunk-portal";
const NOW = new Date("2026-11-25T10:00:00Z");
const nowSec = Math.floor(NOW.getTime() / 1000);

let keys: CryptoKeyPair;
let otherKeys: CryptoKeyPair;
let check: LogoutTokenCheck;

beforeAll(async () => {
  [keys, otherKeys] = await Promise.all([generateKeyPair("RS256"), generateKeyPair("RS256")]);
  check = { issuer: ISSUER, clientId: CLIENT, algorithms: ["RS256"], keys: keys.publicKey, currentDate: NOW };
});

let jtiCounter = 0;
function claims(overrides: Record<string, unknown> = {}): JWTPayload {
  return {
    iss: ISSUER,
    aud: CLIENT,
    iat: nowSec - 5,
    exp: nowSec + 115,
    jti: `jti-${++jtiCounter}`,
    sub: "sub-dieter",
    sid: "idp-session-1",
    events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
    ...overrides,
  };
}

function sign(payload: JWTPayload, key: CryptoKey = keys.privateKey, alg = "RS256"): Promise<string> {
  const body = Object.fromEntries(Object.entries(payload).filter(([, v]) => v !== undefined));
  return new SignJWT(body).setProtectedHeader({ alg, typ: "logout+jwt" }).sign(key);
}

describe("verifyLogoutToken", () => {
  it("accepts a well-formed logout token", async () => {
    await expect(verifyLogoutToken(await sign(claims()), check)).resolves.toMatchObject({
      valid: true,
      sid: "idp-session-1",
      sub: "sub-dieter",
    });
  });

  it.each([
    ["wrong audience", claims({ aud: "another-client" }), /CLAIM_VALIDATION_FAILED \(aud\)/],
    ["wrong issuer", claims({ iss: "https://evil.example" }), /CLAIM_VALIDATION_FAILED \(iss\)/],
    ["missing events", claims({ events: undefined }), /events/],
    ["another event", claims({ events: { "http://schemas.openid.net/event/other": {} } }), /not a back-channel logout/],
    ["event that is not an object", claims({ events: { [BACKCHANNEL_LOGOUT_EVENT]: "yes" } }), /not a back-channel logout/],
    ["a nonce (an ID token, not a logout token)", claims({ nonce: "n0nce" }), /nonce/],
    ["expired", claims({ iat: nowSec - 300, exp: nowSec - 180 }), /EXPIRED/],
    ["issued too long ago", claims({ iat: nowSec - 3600, exp: undefined }), /EXPIRED \(iat\)/],
    ["no iat", claims({ iat: undefined }), /CLAIM_VALIDATION_FAILED \(iat\)/],
    ["no jti", claims({ jti: undefined }), /jti/],
    ["neither sid nor sub", claims({ sid: undefined, sub: undefined }), /neither sid nor sub/],
  ])("rejects a token with %s", async (_, payload, problem) => {
    const verdict = await verifyLogoutToken(await sign(payload), check);
    expect(verdict.valid).toBe(false);
    expect(!verdict.valid && verdict.problem).toMatch(problem);
  });

  it("rejects a bad signature", async () => {
    const token = await sign(claims(), otherKeys.privateKey);
    await expect(verifyLogoutToken(token, check)).resolves.toEqual({ valid: false, problem: "ERR_JWS_SIGNATURE_VERIFICATION_FAILED" });
    const tampered = (await sign(claims())).replace(/\.([^.]+)\./, (_, body: string) => `.${body.slice(0, -2)}AA.`);
    await expect(verifyLogoutToken(tampered, check)).resolves.toMatchObject({ valid: false });
  });

  it("rejects algorithms the issuer did not announce (no HS256 with a shared secret, no alg:none)", async () => {
    const hs = await sign(claims(), new TextEncoder().encode("a".repeat(32)) as unknown as CryptoKey, "HS256");
    await expect(verifyLogoutToken(hs, check)).resolves.toEqual({ valid: false, problem: "ERR_JOSE_ALG_NOT_ALLOWED" });
    const none = `${Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url")}.${Buffer.from(JSON.stringify(claims())).toString("base64url")}.`;
    await expect(verifyLogoutToken(none, check)).resolves.toMatchObject({ valid: false });
  });

  it("accepts a sub-only or sid-only token", async () => {
    await expect(verifyLogoutToken(await sign(claims({ sid: undefined })), check)).resolves.toMatchObject({ valid: true, sid: null });
    await expect(verifyLogoutToken(await sign(claims({ sub: undefined })), check)).resolves.toMatchObject({ valid: true, sub: null });
  });
});

describe("discoverIdp", () => {
  const discovery = (body: Record<string, unknown>) =>
    (async () => Response.json({ issuer: ISSUER, jwks_uri: `${ISSUER}/jwks`, token_endpoint: `${ISSUER}/token`, ...body })) as unknown as typeof fetch;

  it("pins the public-key algorithms the issuer announces", async () => {
    const meta = await discoverIdp(`${ISSUER}/a`, discovery({ issuer: `${ISSUER}/a`, id_token_signing_alg_values_supported: ["HS256", "RS256", "ES256", "none"] }));
    expect(meta.algorithms).toEqual(["RS256", "ES256"]);
    expect(meta.tokenEndpoint).toBe(`${ISSUER}/token`);
  });

  it("refuses a discovery document that names another issuer", async () => {
    await expect(discoverIdp(`${ISSUER}/b`, discovery({ issuer: "https://evil.example" }))).rejects.toThrow(/another issuer/);
  });
});

describe("handleBackchannelLogout", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  }, DB_SETUP_MS);
  afterAll(() => t.close());
  beforeEach(async () => {
    await t.db.delete(people);
  });

  function deps(): BackchannelDeps & { loggedOutTokens: string[] } {
    return {
      ...testLeaverDeps(t.db, fakeHomeserver({})),
      subjectClaim: "sub",
      verify: (token) => verifyLogoutToken(token, { ...check, currentDate: undefined }),
    };
  }
  const fresh = (o: Record<string, unknown> = {}) => claims({ iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 120, ...o });

  it("ends the sessions of that IdP session and logs out their Matrix devices", async () => {
    const dieter = await insertPerson(t.db, { subject: "sub-dieter", displayName: "Dieter" });
    await insertSession(t.db, dieter.id, { sid: "idp-session-1", matrixToken: "syt_portal" });
    await insertSession(t.db, dieter.id, { sid: "idp-session-2" });
    const d = deps();

    await expect(handleBackchannelLogout(await sign(fresh()), d)).resolves.toEqual({ status: 200, ended: 1 });
    const rows = await t.db.select().from(portalSessions).orderBy(portalSessions.idpSessionId);
    expect(rows.map((r) => [r.idpSessionId, r.revokeReason])).toEqual([
      ["idp-session-1", "idp-logout"],
      ["idp-session-2", null],
    ]);
    expect(d.loggedOutTokens).toEqual(["syt_portal"]);
  });

  it("ends all of the subject's sessions when the token names no sid", async () => {
    const dieter = await insertPerson(t.db, { subject: "sub-dieter", displayName: "Dieter" });
    const bernd = await insertPerson(t.db, { subject: "sub-bernd", displayName: "Bernd" });
    await insertSession(t.db, dieter.id, { sid: "a" });
    await insertSession(t.db, dieter.id, { sid: "b" });
    await insertSession(t.db, bernd.id, { sid: "c" });
    await expect(handleBackchannelLogout(await sign(fresh({ sid: undefined })), deps())).resolves.toEqual({ status: 200, ended: 2 });
  });

  it("does not end another person's session that claims the same sid", async () => {
    const dieter = await insertPerson(t.db, { subject: "sub-dieter", displayName: "Dieter" });
    const bernd = await insertPerson(t.db, { subject: "sub-bernd", displayName: "Bernd" });
    await insertSession(t.db, bernd.id, { sid: "idp-session-1" });
    await insertSession(t.db, dieter.id, { sid: "idp-session-1" });
    await expect(handleBackchannelLogout(await sign(fresh()), deps())).resolves.toEqual({ status: 200, ended: 1 });
  });

  it("ends nothing for a subject the portal does not know, even with a matching sid", async () => {
    const dieter = await insertPerson(t.db, { subject: "sub-dieter", displayName: "Dieter" });
    await insertSession(t.db, dieter.id, { sid: "idp-session-1" });
    await expect(handleBackchannelLogout(await sign(fresh({ sub: "sub-stranger" })), deps())).resolves.toEqual({ status: 200, ended: 0 });
  });

  it("ends sessions by sid alone when people are keyed on another claim", async () => {
    const dieter = await insertPerson(t.db, { subject: "entra-object-id", displayName: "Dieter" });
    await insertSession(t.db, dieter.id, { sid: "idp-session-1" });
    const d = { ...deps(), subjectClaim: "oid" };
    await expect(handleBackchannelLogout(await sign(fresh({ sub: "pairwise-sub" })), d)).resolves.toEqual({ status: 200, ended: 1 });
  });

  it("answers 200 for an unknown session and for a replayed token, without ending anything", async () => {
    const dieter = await insertPerson(t.db, { subject: "sub-dieter", displayName: "Dieter" });
    await insertSession(t.db, dieter.id, { sid: "other" });
    const token = await sign(fresh());
    await expect(handleBackchannelLogout(token, deps())).resolves.toEqual({ status: 200, ended: 0 });
    await insertSession(t.db, dieter.id, { sid: "idp-session-1" });
    await expect(handleBackchannelLogout(token, deps())).resolves.toEqual({ status: 200, ended: 0 });
  });

  it.each([
    ["no token", undefined],
    ["an empty token", ""],
    ["a malformed token", "not.a.jwt"],
  ])("answers 400 for %s", async (_, token) => {
    await expect(handleBackchannelLogout(token, deps())).resolves.toMatchObject({ status: 400, error: "invalid_request" });
  });

  it("answers 400 and ends nothing for an invalid token", async () => {
    const dieter = await insertPerson(t.db, { subject: "sub-dieter", displayName: "Dieter" });
    await insertSession(t.db, dieter.id, { sid: "idp-session-1" });
    await expect(handleBackchannelLogout(await sign(fresh({ aud: "someone-else" })), deps())).resolves.toMatchObject({ status: 400 });
    const [row] = await t.db.select().from(portalSessions);
    expect(row?.revokedAt).toBeNull();
  });

  it("answers 400 when the issuer's keys cannot be fetched", async () => {
    const d = { ...deps(), verify: () => Promise.reject(new Error("connect ECONNREFUSED")) };
    await expect(handleBackchannelLogout(await sign(fresh()), d)).resolves.toMatchObject({ status: 400, error: "logout_failed" });
  });
});
