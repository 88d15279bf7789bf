import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "./safe-redirect";
import { sessionState, shouldTouch } from "./session-policy";
import { createTokenCipher, hashSessionId, newSessionId } from "./token-crypto";

const portal = "https://stadtfunk.stadt.example";

describe("safeRedirectPath", () => {
  it.each([
    ["/rooms/abc?x=1", "/rooms/abc?x=1"],
    [`${portal}/rooms`, "/rooms"],
    ["https://evil.example/phish", "/"],
    ["//evil.example/x", "/"],
    ["/\\evil.example", "/"],
    ["javascript:alert(1)", "/"],
    ["http://stadtfunk.stadt.example/rooms", "/"],
    ["", "/"],
    [undefined, "/"],
  ])("%j → %j", (target, expected) => {
    expect(safeRedirectPath(target, portal)).toBe(expected);
  });
});

describe("sessionState", () => {
  const t0 = new Date("2026-11-25T08:00:00Z");
  const at = (min: number) => new Date(t0.getTime() + min * 60_000);
  const session = { lastSeenAt: t0, expiresAt: at(12 * 60), revokedAt: null };

  it.each([
    [session, at(10), "active"],
    [session, at(121), "idle"],
    [{ ...session, lastSeenAt: at(700) }, at(720), "expired"],
    [{ ...session, revokedAt: at(5) }, at(6), "revoked"],
  ] as const)("%#: %s", (s, now, expected) => {
    expect(sessionState(s, now, 120)).toBe(expected);
  });

  it("touches at most once a minute", () => {
    expect(shouldTouch(t0, at(0.5))).toBe(false);
    expect(shouldTouch(t0, at(2))).toBe(true);
  });
});

describe("token cipher", () => {
  it("round-trips and detects tampering", () => {
    const c = createTokenCipher("a".repeat(32));
    const sealed = c.encrypt("syt_secret_token");
    expect(sealed).not.toContain("syt_secret_token");
    expect(c.decrypt(sealed)).toBe("syt_secret_token");
    const tampered = sealed.slice(0, -2) + (sealed.endsWith("A") ? "BB" : "AA");
    expect(() => c.decrypt(tampered)).toThrow();
    expect(() => createTokenCipher("b".repeat(32)).decrypt(sealed)).toThrow();
  });

  it("stores only a hash of session ids", () => {
    const id = newSessionId();
    expect(id.length).toBeGreaterThanOrEqual(43);
    expect(hashSessionId(id)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSessionId(id)).not.toContain(id);
  });
});
