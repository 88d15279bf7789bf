import { SignJWT } from "jose";
import type { AppConfig } from "../config/load";
import { isConferenceName } from "./conference-id";

/** The one algorithm Prosody is configured for; verifiers pin it too (CVE-2021-39215). */
export const JITSI_JWT_ALGORITHM = "HS256";
/** Agreed with Prosody's `asap_accepted_audiences`. */
export const JITSI_JWT_AUDIENCE = "jitsi";
/** HS256 keys shorter than the hash output make brute force cheaper than it has to be. */
const MIN_SECRET_BYTES = 32;
/** Tolerates a Prosody clock a few seconds behind ours; Prosody rejects now < nbf. */
const NOT_BEFORE_SKEW_SECONDS = 10;

/**
 * moderator: Jitsi owner (staff of the inviting institution); member: joins
 * without moderation rights; guest: carries no moderator or affiliation claim
 * at all, so no Prosody module can read one into it.
 */
export type JitsiRole = "moderator" | "member" | "guest";

export interface JitsiTokenUser {
  /** The Matrix user ID, or a guest's opaque ID. */
  id: string;
  name: string;
  avatar?: string;
  email?: string;
  role: JitsiRole;
}

export interface MintJwtModeTokenInput {
  jitsi: Pick<AppConfig["jitsi"], "domain" | "appId" | "appSecret" | "tokenTtlSeconds">;
  /** The conference this token opens; never a wildcard. */
  conferenceId: string;
  user: JitsiTokenUser;
  now: () => Date;
}

/** Prosody rejects non-string values in context.user, so every field is a string. */
function contextUser(user: JitsiTokenUser): Record<string, string> {
  const out: Record<string, string> = { id: user.id, name: user.name };
  if (user.avatar !== undefined) out.avatar = user.avatar;
  if (user.email !== undefined) out.email = user.email;
  if (user.role !== "guest") {
    // JaaS convention ("true"/"false" strings) and the token_affiliation module's field.
    out.moderator = user.role === "moderator" ? "true" : "false";
    out.affiliation = user.role === "moderator" ? "owner" : "member";
  }
  return out;
}

/**
 * A Jitsi token for `jwt` mode, valid for one conference and a short time.
 * `room` is lower-cased because Prosody compares it with the lower-cased room name.
 */
export async function mintJwtModeToken(input: MintJwtModeTokenInput): Promise<string> {
  const { jitsi, conferenceId, user } = input;
  if (!isConferenceName(conferenceId)) {
    throw new Error(`a Jitsi token needs one exact conference, got ${JSON.stringify(conferenceId)}`);
  }
  const key = new TextEncoder().encode(jitsi.appSecret);
  if (key.length < MIN_SECRET_BYTES) {
    throw new Error(`the Jitsi app secret must be at least ${MIN_SECRET_BYTES} bytes for HS256`);
  }
  const ttl = jitsi.tokenTtlSeconds;
  if (!Number.isInteger(ttl) || ttl <= 0) throw new Error("tokenTtlSeconds must be a positive whole number");

  const iat = Math.floor(input.now().getTime() / 1000);
  return new SignJWT({
    room: conferenceId.toLowerCase(),
    context: {
      user: contextUser(user),
      features: { recording: false, livestreaming: false },
    },
  })
    .setProtectedHeader({ alg: JITSI_JWT_ALGORITHM, typ: "JWT" })
    .setIssuer(jitsi.appId)
    .setAudience(JITSI_JWT_AUDIENCE)
    .setSubject(jitsi.domain)
    .setIssuedAt(iat)
    .setNotBefore(iat - NOT_BEFORE_SKEW_SECONDS)
    .setExpirationTime(iat + ttl)
    .sign(key);
}
