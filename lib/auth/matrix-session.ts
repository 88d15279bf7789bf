import crypto from "node:crypto";
import { attachMatrixSession, consumeMatrixLoginState, setMatrixLoginState } from "./session-store";
import { setPersonMatrixUserId } from "./people-store";
import { loginWithToken, logoutDevice, ssoRedirectUrl, SYNAPSE_IDP_ID } from "../matrix/sso-login";
import { userIdForExternalId } from "../matrix/admin-users";
import { portalRuntime } from "../portal/runtime";
import { safeRedirectPath } from "./safe-redirect";
import type { SignedIn } from "./current-session";
import { deliverPendingInvitations } from "../rooms/pending-invitations";
import { syncDirectoryMembership } from "../rooms/directory-membership";
import { portalDirectorySpaceDeps } from "../portal/directory-spaces";

/**
 * The portal's Matrix session comes from Synapse's own SSO login against the
 * same identity provider: the person is already signed in there, so the round
 * trip needs no second prompt, and the account is the one Element gets.
 */
export async function startMatrixLogin(signedIn: SignedIn, next: string | null): Promise<string> {
  const { config, db } = portalRuntime();
  const state = crypto.randomBytes(24).toString("base64url");
  await setMatrixLoginState(db, signedIn.sessionId, state);
  const back = new URL("/matrix/callback", config.portal.url);
  back.searchParams.set("state", state);
  back.searchParams.set("next", safeRedirectPath(next, config.portal.url));
  return ssoRedirectUrl(config.matrix.homeserverUrl, back.toString());
}

export type MatrixLoginResult = { ok: true; next: string } | { ok: false; reason: "state" | "identity" | "homeserver" };

export async function completeMatrixLogin(
  signedIn: SignedIn,
  params: { state: string | null; loginToken: string | null; next: string | null },
): Promise<MatrixLoginResult> {
  const { config, db, tokens, log, service } = portalRuntime();
  if (!params.state || !params.loginToken || !(await consumeMatrixLoginState(db, signedIn.sessionId, params.state))) {
    return { ok: false, reason: "state" };
  }
  let login;
  try {
    login = await loginWithToken(config.matrix.homeserverUrl, params.loginToken, "Stadtfunk Portal");
  } catch (err) {
    log.warn({ err: (err as Error).message }, "matrix login token refused");
    return { ok: false, reason: "homeserver" };
  }
  // The account must be the one Synapse linked to this person's subject; anything else
  // (someone else signed in at the IdP in between) is logged out again at once.
  const expected = await userIdForExternalId(
    { homeserverUrl: config.matrix.homeserverUrl, adminToken: config.matrix.adminToken },
    SYNAPSE_IDP_ID,
    signedIn.person.subject,
  );
  if (expected !== login.user_id || (signedIn.person.matrixUserId && signedIn.person.matrixUserId !== login.user_id)) {
    await logoutDevice(config.matrix.homeserverUrl, login.access_token).catch(() => {});
    log.warn({ personId: signedIn.person.id }, "matrix identity does not match the portal session");
    return { ok: false, reason: "identity" };
  }
  await attachMatrixSession(db, signedIn.sessionId, {
    userId: login.user_id,
    deviceId: login.device_id,
    accessTokenEnc: tokens.encrypt(login.access_token),
  });
  if (!signedIn.person.matrixUserId) await setPersonMatrixUserId(db, signedIn.person.id, login.user_id);
  // Invitations addressed to this person's login name or e-mail before they had an account.
  await deliverPendingInvitations({ db, service, log }, signedIn.person, login.user_id);
  // Department and city spaces follow the groups of this sign-in; a failure is retried on the dashboard.
  await syncDirectoryMembership(portalDirectorySpaceDeps(), {
    matrixUserId: login.user_id,
    departments: signedIn.person.departments,
    accessToken: login.access_token,
  }).catch((err: Error) => log.warn({ personId: signedIn.person.id, err: err.message }, "directory space membership not synced"));
  log.info({ personId: signedIn.person.id, matrixUserId: login.user_id }, "matrix session connected");
  return { ok: true, next: safeRedirectPath(params.next, config.portal.url) };
}

/** The browser's Matrix credentials for its live client, or null before the Matrix login. */
export function matrixCredentials(signedIn: SignedIn) {
  const { config, tokens } = portalRuntime();
  const s = signedIn.session;
  if (!s.matrixUserId || !s.matrixDeviceId || !s.matrixAccessTokenEnc) return null;
  return {
    homeserverUrl: config.matrix.homeserverUrl,
    userId: s.matrixUserId,
    deviceId: s.matrixDeviceId,
    accessToken: tokens.decrypt(s.matrixAccessTokenEnc),
  };
}
