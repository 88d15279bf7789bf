import { describe, expect, it } from "vitest";
import { guestLinkUrl, hashLinkSecret, isWellFormedSecret, newLinkSecret } from "./link-secret";
import { guestCookie, guestCookieName, hashGuestSessionId, isWellFormedSessionId, newGuestSessionId } from "./guest-session";

describe("link secrets", () => {
  it("are 256 random bits in base64url, never repeating (INV-01)", () => {
    const secrets = Array.from({ length: 10_000 }, newLinkSecret);
    expect(new Set(secrets).size).toBe(secrets.length);
    for (const s of secrets.slice(0, 200)) {
      expect(s).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(s, "base64url")).toHaveLength(32);
      expect(isWellFormedSecret(s)).toBe(true);
    }
  });

  it("are stored only as their SHA-256, which does not contain them", () => {
    const s = newLinkSecret();
    const h = hashLinkSecret(s);
    expect(h).toBe(hashLinkSecret(s));
    expect(h).not.toContain(s);
    expect(h).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hashLinkSecret(newLinkSecret())).not.toBe(h);
  });

  it.each([["", "empty"], ["abc", "short"], ["A".repeat(44), "long"], [`${"A".repeat(42)}=`, "padding"], [`${"A".repeat(42)}/`, "base64 alphabet"], [null, "not a string"], [42, "a number"]] as [unknown, string][])(
    "rejects %j (%s) before any database work",
    (value) => {
      expect(isWellFormedSecret(value)).toBe(false);
    },
  );

  it("puts the secret in the fragment of /gast, which browsers never send", () => {
    const s = newLinkSecret();
    const url = new URL(guestLinkUrl("https://stadtfunk.stadt.example/", s));
    expect(url.pathname).toBe("/gast");
    expect(url.search).toBe("");
    expect(url.hash).toBe(`#${s}`);
  });
});

describe("guest sessions", () => {
  it("are random ids stored hashed", () => {
    const id = newGuestSessionId();
    expect(isWellFormedSessionId(id)).toBe(true);
    expect(hashGuestSessionId(id)).not.toBe(id);
    expect(isWellFormedSessionId("x")).toBe(false);
    expect(isWellFormedSessionId(undefined)).toBe(false);
  });

  it("use an httpOnly, SameSite=Lax cookie; Secure and __Host- over https", () => {
    const expires = new Date("2030-01-01T00:00:00Z");
    expect(guestCookie("https://stadtfunk.stadt.example", expires)).toEqual({
      name: "__Host-stadtfunk-gast",
      options: { httpOnly: true, sameSite: "lax", secure: true, path: "/", expires },
    });
    expect(guestCookie("http://127.0.0.1:3000", expires).options.secure).toBe(false);
    expect(guestCookieName("http://127.0.0.1:3000")).toBe("stadtfunk-gast");
  });
});
