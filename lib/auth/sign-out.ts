import { discoverIdp } from "./idp-discovery";
import { logoutDevice } from "../matrix/sso-login";
import { portalRuntime } from "../portal/runtime";
import type { SignedIn } from "./current-session";
import { revokeSession } from "./session-store";

async function endSessionEndpoint(issuer: string): Promise<string | null> {
  try {
    return (await discoverIdp(issuer)).endSessionEndpoint;
  } catch {
    return null;
  }
}

/**
 * Ends the portal session, logs out the Matrix device it created, and returns
 * where the browser goes next: the identity provider's logout (so the next
 * "Anmelden" really asks again), or the portal's start page.
 */
export async function signOut(signedIn: SignedIn): Promise<string> {
  const { config, db, tokens, log } = portalRuntime();
  const row = await revokeSession(db, signedIn.sessionId, "sign-out", new Date());
  if (row?.matrixAccessTokenEnc) {
    await logoutDevice(config.matrix.homeserverUrl, tokens.decrypt(row.matrixAccessTokenEnc)).catch((err: Error) =>
      log.warn({ err: err.message }, "matrix logout failed"),
    );
  }
  log.info({ personId: signedIn.person.id }, "signed out");
  const endpoint = await endSessionEndpoint(config.oidc.issuer);
  if (!endpoint) return `${config.portal.url}/`;
  const url = new URL(endpoint);
  if (row?.idTokenEnc) url.searchParams.set("id_token_hint", tokens.decrypt(row.idTokenEnc));
  url.searchParams.set("post_logout_redirect_uri", `${config.portal.url}/`);
  url.searchParams.set("client_id", config.oidc.clientId);
  return url.toString();
}
