import crypto from "node:crypto";

/**
 * A guest's browser session: a random id in an httpOnly cookie, stored only
 * as a hash on the guest's row. Separate from the staff session cookie, so a
 * guest cookie can never open a staff page.
 */
export function newGuestSessionId(): string {
  return crypto.randomBytes(32).toString("base64url");
}

export function hashGuestSessionId(id: string): string {
  return crypto.createHash("sha256").update(id, "utf8").digest("base64url");
}

const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function isWellFormedSessionId(value: unknown): value is string {
  return typeof value === "string" && SESSION_ID_PATTERN.test(value);
}

export interface GuestCookie {
  name: string;
  options: {
    httpOnly: true;
    sameSite: "lax";
    secure: boolean;
    path: "/";
    expires: Date;
  };
}

/**
 * Over https the `__Host-` prefix pins the cookie to this host and path and
 * forces Secure; plain http (local demo) cannot use the prefix.
 */
export function guestCookieName(portalUrl: string): string {
  return portalUrl.startsWith("https:") ? "__Host-stadtfunk-gast" : "stadtfunk-gast";
}

export function guestCookie(portalUrl: string, expires: Date): GuestCookie {
  return {
    name: guestCookieName(portalUrl),
    options: { httpOnly: true, sameSite: "lax", secure: portalUrl.startsWith("https:"), path: "/", expires },
  };
}
