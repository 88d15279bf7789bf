import { SignJWT } from "jose";

/**
 * The token Element's Jitsi wrapper (element-web `src/vector/jitsi/index.tsx`,
 * `createJWTToken`) hands Jitsi in `openidtoken-jwt` mode, rebuilt claim for
 * claim, so Prosody's `matrix_user_verification` module treats portal and
 * Element users alike. The JWT is only an envelope: Prosody decodes it
 * without checking the signature and has the OpenID token inside verified
 * (for the room the conference name decodes to) by the portal's
 * UVS-compatible endpoint. `room: "*"` and the placeholder secret are
 * Element's; neither grants anything on their own.
 */

/** What `POST /_matrix/client/v3/user/{userId}/openid/request_token` returns. */
export interface OpenIdCredentials {
  access_token: string;
  matrix_server_name: string;
  token_type?: string;
  expires_in?: number;
}

export interface ElementOpenIdJwtInput {
  /** The Jitsi domain (host and optional port). */
  domain: string;
  roomId: string;
  openId: OpenIdCredentials;
  displayName: string;
  /** An http(s) avatar URL; Element's template variable is empty when there is none. */
  avatarUrl?: string;
}

export interface ElementOpenIdJwtPayload {
  [claim: string]: unknown;
  iss: string;
  sub: string;
  aud: string;
  room: "*";
  context: {
    matrix: { token: string; room_id: string; server_name: string };
    user: { avatar: string; name: string };
  };
}

/** Element signs with this literal; the value is irrelevant to Prosody. */
export const ELEMENT_JWT_PLACEHOLDER_SECRET = "notused";

export function elementOpenIdJwtPayload(input: ElementOpenIdJwtInput): ElementOpenIdJwtPayload {
  return {
    // Element has no agreed issuer to use and takes the Jitsi domain, as Prosody's app_id expects.
    iss: input.domain,
    sub: input.domain,
    aud: `https://${input.domain}`,
    room: "*",
    context: {
      matrix: {
        token: input.openId.access_token,
        room_id: input.roomId,
        server_name: input.openId.matrix_server_name,
      },
      user: { avatar: input.avatarUrl ?? "", name: input.displayName },
    },
  };
}

/** HS256 over the payload with Element's placeholder secret (header `{alg:"HS256",typ:"JWT"}`). */
export function signElementOpenIdJwt(payload: ElementOpenIdJwtPayload): Promise<string> {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .sign(new TextEncoder().encode(ELEMENT_JWT_PLACEHOLDER_SECRET));
}
