import crypto from "node:crypto";

/**
 * Encrypts tokens kept in the database (Matrix access token, IdP refresh and
 * ID tokens) with AES-256-GCM under a key derived from AUTH_SECRET, so a
 * database dump alone does not hand out sessions.
 */
export interface TokenCipher {
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
}

export function createTokenCipher(secret: string): TokenCipher {
  const key = Buffer.from(crypto.hkdfSync("sha256", secret, "stadtfunk", "token-encryption/v1", 32));
  return {
    encrypt(plain) {
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
      const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
    },
    decrypt(sealed) {
      const raw = Buffer.from(sealed, "base64url");
      const decipher = crypto.createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
    },
  };
}

/** Session ids are random; only their hash is stored, so a database read cannot impersonate. */
export function newSessionId(): string {
  return crypto.randomBytes(32).toString("base64url");
}

export function hashSessionId(id: string): string {
  return crypto.createHash("sha256").update(id).digest("hex");
}
