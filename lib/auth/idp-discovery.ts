import { createRemoteJWKSet, type JWTVerifyGetKey } from "jose";
import { z } from "zod";

/**
 * The identity provider's discovery document and key set, read once an hour
 * and shared by back-channel logout, token refresh and sign-out.
 */

/** Only public-key algorithms: the keys come from the issuer's JWKS, never from a shared secret. */
const PUBLIC_KEY_ALGORITHMS = new Set([
  "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519",
]);

const discoverySchema = z.object({
  issuer: z.string(),
  jwks_uri: z.url(),
  token_endpoint: z.url(),
  id_token_signing_alg_values_supported: z.array(z.string()).optional(),
  end_session_endpoint: z.url().optional(),
});

export interface IdpMetadata {
  issuer: string;
  tokenEndpoint: string;
  /** Signature algorithms accepted for ID and logout tokens: the issuer's list, public-key ones only. */
  algorithms: string[];
  keys: JWTVerifyGetKey;
  /** RP-initiated logout, where the provider offers it. */
  endSessionEndpoint: string | null;
}

const metadataCache = new Map<string, { at: number; meta: Promise<IdpMetadata> }>();
const METADATA_TTL_MS = 60 * 60_000;

async function fetchMetadata(issuer: string, fetchFn: typeof fetch): Promise<IdpMetadata> {
  const res = await fetchFn(`${issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5_000) });
  if (!res.ok) throw new Error(`identity provider discovery failed: HTTP ${res.status}`);
  const d = discoverySchema.parse(await res.json());
  if (d.issuer.replace(/\/+$/, "") !== issuer) throw new Error("identity provider discovery names another issuer");
  const listed = d.id_token_signing_alg_values_supported ?? ["RS256"];
  const algorithms = listed.filter((a) => PUBLIC_KEY_ALGORITHMS.has(a));
  if (algorithms.length === 0) throw new Error("identity provider offers no public-key signature algorithm");
  return {
    issuer: d.issuer,
    tokenEndpoint: d.token_endpoint,
    algorithms,
    keys: createRemoteJWKSet(new URL(d.jwks_uri), { timeoutDuration: 5_000 }),
    endSessionEndpoint: d.end_session_endpoint ?? null,
  };
}

/** The issuer's discovery document and key set, cached for an hour (the key set refetches unknown kids itself). */
export function discoverIdp(issuer: string, fetchFn: typeof fetch = fetch, now = Date.now()): Promise<IdpMetadata> {
  const cached = metadataCache.get(issuer);
  if (cached && now - cached.at < METADATA_TTL_MS) return cached.meta;
  const meta = fetchMetadata(issuer, fetchFn);
  metadataCache.set(issuer, { at: now, meta });
  meta.catch(() => metadataCache.delete(issuer));
  return meta;
}
