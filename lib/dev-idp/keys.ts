import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from "jose";

/**
 * Key material of the development identity provider. With a `keyDir` the keys
 * are kept on disk (mode 0600) so ID tokens and session cookies stay valid
 * across restarts; without one they are generated per process.
 */

const SIGNING_KEY_FILE = "signing-key.jwk.json";
const COOKIE_KEYS_FILE = "cookie-keys.json";

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, "utf8"));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new Error(`cannot read ${file}: ${(err as Error).message}`);
  }
}

// Write to a temporary file first so a crash never leaves half a key behind.
async function writeSecretJson(dir: string, name: string, value: unknown): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const target = path.join(dir, name);
  const tmp = `${target}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, target);
}

/** A fresh RS256 private signing key as JWK, with its thumbprint as `kid`. */
export async function generateSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair("RS256", { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: "RS256", use: "sig" };
}

export async function loadOrCreateSigningKey(keyDir?: string): Promise<JWK> {
  if (!keyDir) return generateSigningKey();
  const stored = await readJson(path.join(keyDir, SIGNING_KEY_FILE));
  if (stored && typeof stored === "object" && (stored as JWK).kty === "RSA" && (stored as JWK).d) {
    return stored as JWK;
  }
  const jwk = await generateSigningKey();
  await writeSecretJson(keyDir, SIGNING_KEY_FILE, jwk);
  return jwk;
}

/** Random keys for signing the provider's cookies. */
export function generateCookieKeys(count = 2): string[] {
  return Array.from({ length: count }, () => randomBytes(32).toString("base64url"));
}

export async function loadOrCreateCookieKeys(keyDir?: string): Promise<string[]> {
  if (!keyDir) return generateCookieKeys();
  const stored = await readJson(path.join(keyDir, COOKIE_KEYS_FILE));
  if (Array.isArray(stored) && stored.length > 0 && stored.every((k) => typeof k === "string" && k.length >= 32)) {
    return stored as string[];
  }
  const keys = generateCookieKeys();
  await writeSecretJson(keyDir, COOKIE_KEYS_FILE, keys);
  return keys;
}
