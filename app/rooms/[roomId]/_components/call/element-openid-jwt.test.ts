import { decodeJwt, decodeProtectedHeader, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { ELEMENT_JWT_PLACEHOLDER_SECRET, elementOpenIdJwtPayload, signElementOpenIdJwt } from "./element-openid-jwt";

const openId = { access_token: "abcdefghijklmnopqrstuvwx", matrix_server_name: "stadt.example", token_type: "Bearer", expires_in: 3600 };

describe("Element's openidtoken-jwt envelope", () => {
  it("carries exactly the claims Element's Jitsi wrapper writes", async () => {
    const payload = elementOpenIdJwtPayload({
      domain: "meet.stadt.example",
      roomId: "!abc:stadt.example",
      openId,
      displayName: "Anna Admin",
    });
    const token = await signElementOpenIdJwt(payload);
    expect(decodeProtectedHeader(token)).toStrictEqual({ alg: "HS256", typ: "JWT" });
    expect(decodeJwt(token)).toStrictEqual({
      iss: "meet.stadt.example",
      sub: "meet.stadt.example",
      aud: "https://meet.stadt.example",
      room: "*",
      context: {
        matrix: { token: openId.access_token, room_id: "!abc:stadt.example", server_name: "stadt.example" },
        user: { avatar: "", name: "Anna Admin" },
      },
    });
    // Signed as Element signs it; Prosody never checks this signature.
    await expect(
      jwtVerify(token, new TextEncoder().encode(ELEMENT_JWT_PLACEHOLDER_SECRET), { algorithms: ["HS256"] }),
    ).resolves.toBeTruthy();
  });

  it("keeps a host:port domain in every domain claim", () => {
    const p = elementOpenIdJwtPayload({ domain: "127.0.0.1:8443", roomId: "!r:s", openId, displayName: "x", avatarUrl: "https://a/b" });
    expect([p.iss, p.sub, p.aud]).toEqual(["127.0.0.1:8443", "127.0.0.1:8443", "https://127.0.0.1:8443"]);
    expect(p.context.user.avatar).toBe("https://a/b");
  });
});
