import { z } from "zod";
import { enc, matrixRequest } from "./client-api";

/** Synapse prefixes configured OIDC providers with "oidc-" (see lib/homeserver/synapse-config.ts). */
export const SYNAPSE_IDP_ID = "oidc-stadtfunk";

/** Where the browser starts Synapse's SSO login; Synapse sends it back to redirectUrl with a loginToken. */
export function ssoRedirectUrl(homeserverUrl: string, redirectUrl: string, idpId = SYNAPSE_IDP_ID): string {
  return `${homeserverUrl}/_matrix/client/v3/login/sso/redirect/${enc(idpId)}?redirectUrl=${enc(redirectUrl)}`;
}

const loginResponse = z.object({ user_id: z.string(), access_token: z.string(), device_id: z.string() });
export type MatrixLogin = z.infer<typeof loginResponse>;

/** Exchanges the one-time login token for a Matrix session on a new device. */
export function loginWithToken(homeserverUrl: string, loginToken: string, deviceName: string): Promise<MatrixLogin> {
  return matrixRequest(
    {
      homeserverUrl,
      method: "POST",
      path: "/_matrix/client/v3/login",
      body: { type: "m.login.token", token: loginToken, initial_device_display_name: deviceName },
    },
    loginResponse,
  );
}

/** Ends exactly the device the portal created. */
export async function logoutDevice(homeserverUrl: string, accessToken: string): Promise<void> {
  await matrixRequest(
    { homeserverUrl, method: "POST", path: "/_matrix/client/v3/logout", accessToken, body: {} },
    z.object({}).passthrough(),
  );
}

export function whoami(homeserverUrl: string, accessToken: string) {
  return matrixRequest(
    { homeserverUrl, method: "GET", path: "/_matrix/client/v3/account/whoami", accessToken },
    z.object({ user_id: z.string(), device_id: z.string().optional() }),
  );
}
