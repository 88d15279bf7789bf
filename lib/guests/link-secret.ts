import crypto from "node:crypto";

/** 32 bytes = 256 bits from the CSPRNG (INV-01 asks for at least 128). */
const SECRET_BYTES = 32;
/** base64url of 32 bytes, unpadded. */
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A new link secret: shown once to the moderator, never stored. */
export function newLinkSecret(): string {
  return crypto.randomBytes(SECRET_BYTES).toString("base64url");
}

/** What the database keeps: SHA-256 of the secret, base64url. A plain hash suffices at 256 bits of entropy. */
export function hashLinkSecret(secret: string): string {
  return crypto.createHash("sha256").update(secret, "utf8").digest("base64url");
}

/** Cheap shape check before any database work; anything else is an unknown link. */
export function isWellFormedSecret(value: unknown): value is string {
  return typeof value === "string" && SECRET_PATTERN.test(value);
}

/**
 * The link a moderator hands out. The secret sits in the fragment, which
 * browsers never send to a server, so it stays out of access logs, proxies
 * and Referer headers; the landing page posts it in a request body.
 */
export function guestLinkUrl(portalUrl: string, secret: string): string {
  return `${portalUrl.replace(/\/+$/, "")}/gast#${secret}`;
}
