import { decodeJwt, decodeProtectedHeader, errors, jwtVerify, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { mintJwtModeToken, type JitsiTokenUser } from "./jwt-mode-token";

const SECRET = "k3Y-for-tests-only-0123456789abcdefABCDEF";
const jitsi = { domain: "meet.stadtfunk.test", appId: "stadtfunk", appSecret: SECRET, tokenTtlSeconds: 300 };
const NOW = new Date("2026-11-25T10:00:00Z");
const NOW_S = NOW.getTime() / 1000;
const anna: JitsiTokenUser = { id: "@anna:stadtfunk.test", name: "Anna Amt", role: "moderator" };
const key = (s: string) => new TextEncoder().encode(s);

/** Verifies the way Prosody is configured: one algorithm, our issuer and audience, at a given time. */
const verify = (token: string, at = NOW, secret = SECRET) =>
  jwtVerify(token, key(secret), {
    algorithms: ["HS256"],
    issuer: "stadtfunk",
    audience: "jitsi",
    currentDate: at,
    typ: "JWT",
  });

const mint = (over: Partial<Parameters<typeof mintJwtModeToken>[0]> = {}) =>
  mintJwtModeToken({ jitsi, conferenceId: "qx7rm2kd4tjz6w3hbn5cvy2lpa4sefgu", user: anna, now: () => NOW, ...over });

describe("mintJwtModeToken", () => {
  it("carries exactly the claims Prosody checks, scoped to one room and a short time", async () => {
    const token = await mint();
    expect(decodeProtectedHeader(token)).toStrictEqual({ alg: "HS256", typ: "JWT" });
    const { payload } = await verify(token);
    expect(payload).toStrictEqual({
      iss: "stadtfunk",
      aud: "jitsi",
      sub: "meet.stadtfunk.test",
      room: "qx7rm2kd4tjz6w3hbn5cvy2lpa4sefgu",
      iat: NOW_S,
      nbf: NOW_S - 10,
      exp: NOW_S + 300,
      context: {
        user: { id: "@anna:stadtfunk.test", name: "Anna Amt", moderator: "true", affiliation: "owner" },
        features: { recording: false, livestreaming: false },
      },
    });
  });

  it("lower-cases the room claim, as Prosody compares it with the lower-cased room name", async () => {
    const { room } = decodeJwt(await mint({ conferenceId: "EFQWEY3EMVTG" }));
    expect(room).toBe("efqwey3emvtg");
  });

  it.each([
    ["member", { moderator: "false", affiliation: "member" }],
    ["guest", {}],
  ] as const)("a %s gets no moderator rights", async (role, rights) => {
    const token = await mint({ user: { id: "guest-7f3a", name: "Gast", role, avatar: "https://x/a.png" } });
    const user = (decodeJwt(token).context as { user: Record<string, unknown> }).user;
    expect(user).toStrictEqual({ id: "guest-7f3a", name: "Gast", avatar: "https://x/a.png", ...rights });
    // Prosody raises on non-string context.user values.
    for (const value of Object.values(user)) expect(typeof value).toBe("string");
  });

  it("is valid from now until the TTL, and refused after it", async () => {
    const token = await mint();
    await expect(verify(token, new Date((NOW_S + 299) * 1000))).resolves.toBeDefined();
    await expect(verify(token, new Date((NOW_S + 300) * 1000))).rejects.toBeInstanceOf(errors.JWTExpired);
    await expect(verify(token, new Date((NOW_S - 60) * 1000))).rejects.toBeInstanceOf(
      errors.JWTClaimValidationFailed,
    );
  });

  it("is refused under another secret", async () => {
    await expect(verify(await mint(), NOW, "another-secret-of-enough-length-0123456789")).rejects.toBeInstanceOf(
      errors.JWSSignatureVerificationFailed,
    );
  });

  it.each(["HS384", "HS512"])("a token with the same claims signed with %s is refused", async (alg) => {
    const payload = decodeJwt(await mint());
    const forged = await new SignJWT(payload).setProtectedHeader({ alg, typ: "JWT" }).sign(key(SECRET));
    await expect(verify(forged)).rejects.toBeInstanceOf(errors.JOSEAlgNotAllowed);
  });

  it("an unsigned (alg none) token with the same claims is refused", async () => {
    const payload = decodeJwt(await mint());
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const unsigned = `${b64({ alg: "none", typ: "JWT" })}.${b64(payload)}.`;
    await expect(verify(unsigned)).rejects.toThrow();
  });

  it("a tampered room claim breaks the signature", async () => {
    const [header, , signature] = (await mint()).split(".");
    const payload = { ...decodeJwt(await mint()), room: "*" };
    const tampered = `${header}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.${signature}`;
    await expect(verify(tampered)).rejects.toBeInstanceOf(errors.JWSSignatureVerificationFailed);
  });

  it.each([
    ["a wildcard room", { conferenceId: "*" }],
    ["an empty room", { conferenceId: "" }],
    ["a tenant path", { conferenceId: "tenant/room" }],
    ["a short secret", { jitsi: { ...jitsi, appSecret: "sixteen-chars-00" } }],
    ["a zero TTL", { jitsi: { ...jitsi, tokenTtlSeconds: 0 } }],
  ] as const)("refuses to mint with %s", async (_what, over) => {
    await expect(mint(over)).rejects.toThrow();
  });
});
