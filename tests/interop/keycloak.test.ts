import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../lib/log";
import { registerUser } from "../../lib/matrix/admin-register";
import { freePort } from "../../scripts/stack/ports";
import {
  fetchOidcClaims,
  keycloakUserId,
  realmClient,
  realmUser,
  SsoBrowser,
  startKeycloak,
  type RunningKeycloak,
} from "../setup/keycloak";
import { startSynapseForKeycloak, type KeycloakSynapse } from "./synapse-for-keycloak";

/**
 * SSO against a real Keycloak: Synapse's own OIDC login (what Element does),
 * the portal's authorization-code + PKCE sign-in, and the group rule that
 * buildSynapseConfig turns into attribute_requirements.
 */

const SERVER_NAME = "stadtfunk.test";
// kc.erika is only in "praktikum", so she is the one the rule keeps out.
const ALLOWED_GROUPS = ["stadtfunk-admins", "it", "bauamt", "kaemmerei"];
const log = createLogger("interop", process.env.LOG_LEVEL ?? "error");

let kc: RunningKeycloak | undefined;
let hs: KeycloakSynapse | undefined;
let adminToken: string;
// Element's URL is not in sso.client_whitelist, so Synapse shows its "Continue" page.
let elementUrl: string;

beforeAll(async () => {
  const started = performance.now();
  kc = await startKeycloak({ logger: log });
  const kcReady = performance.now();
  hs = await startSynapseForKeycloak(kc, { serverName: SERVER_NAME, allowedGroups: ALLOWED_GROUPS, logger: log });
  const s = (ms: number) => (ms / 1000).toFixed(1);
  console.log(`Keycloak up in ${s(kc.startMs)} s, Synapse in ${s(performance.now() - kcReady)} s (setup ${s(performance.now() - started)} s)`);
  elementUrl = `http://127.0.0.1:${await freePort()}/element/`;
  const admin = await registerUser({
    homeserverUrl: hs.url,
    sharedSecret: hs.registrationSharedSecret,
    username: "interop-admin",
    admin: true,
  });
  adminToken = admin.access_token;
}, 600_000);

afterAll(async () => {
  await hs?.stop();
  await kc?.stop();
}, 60_000);

function ssoRedirect(redirectUrl: string): string {
  return `${hs!.url}/_matrix/client/v3/login/sso/redirect/${hs!.idpId}?redirectUrl=${encodeURIComponent(redirectUrl)}`;
}

async function matrix<T>(method: string, route: string, body?: unknown, token?: string): Promise<{ status: number; json: T }> {
  const res = await fetch(`${hs!.url}${route}`, {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as T };
}

/** Drives Synapse's SSO login to its end and trades the loginToken for a session, as a client would. */
async function ssoLogin(browser: SsoBrowser, username: string, redirectUrl: string) {
  const nav = await browser.navigate(ssoRedirect(redirectUrl), { stopAt: redirectUrl, login: realmUser(username) });
  if (!nav.done) throw new Error(`SSO stopped at ${nav.url} with HTTP ${nav.status}`);
  const loginToken = nav.url.searchParams.get("loginToken");
  expect(loginToken).toBeTruthy();
  const login = await matrix<{ user_id: string; access_token: string; device_id: string }>("POST", "/_matrix/client/v3/login", {
    type: "m.login.token",
    token: loginToken,
  });
  expect(login.status).toBe(200);
  const whoami = await matrix<{ user_id: string }>("GET", "/_matrix/client/v3/account/whoami", undefined, login.json.access_token);
  expect(whoami.json.user_id).toBe(login.json.user_id);
  return login.json;
}

describe("Synapse SSO through Keycloak (as Element signs in)", () => {
  it("offers the Keycloak provider among the login flows", async () => {
    const { json } = await matrix<{ flows: { type: string; identity_providers?: { id: string }[] }[] }>(
      "GET",
      "/_matrix/client/v3/login",
    );
    const sso = json.flows.find((f) => f.type === "m.login.sso");
    expect(sso?.identity_providers?.map((p) => p.id)).toContain(hs!.idpId);
  });

  it("signs kc.anna in as @kc.anna, again as the same user, tied to Keycloak's sub", async () => {
    const browser = new SsoBrowser();
    const first = await ssoLogin(browser, "kc.anna", elementUrl);
    expect(first.user_id).toBe(`@kc.anna:${SERVER_NAME}`);

    // Second login: Keycloak's session cookie skips the form; the portal URL skips Synapse's confirmation page.
    const second = await ssoLogin(browser, "kc.anna", `${hs!.portalUrl}/after-login`);
    expect(second.user_id).toBe(first.user_id);
    expect(second.device_id).not.toBe(first.device_id);

    const user = await matrix<{ external_ids: { auth_provider: string; external_id: string }[]; displayname: string }>(
      "GET",
      `/_synapse/admin/v2/users/${encodeURIComponent(first.user_id)}`,
      undefined,
      adminToken,
    );
    expect(user.status).toBe(200);
    expect(user.json.external_ids).toEqual([
      { auth_provider: hs!.idpId, external_id: await keycloakUserId(kc!, "kc.anna") },
    ]);
    expect(user.json.displayname).toBe("Anna Schmidt");
  });
});

describe("portal sign-in at Keycloak (authorization code + PKCE S256)", () => {
  const portal = () => ({ issuer: kc!.issuer, redirectUri: `${hs!.portalUrl}/api/auth/callback/keycloak`, ...realmClient("stadtfunk-portal") });

  it("returns a verified ID token with flat group names, also in userinfo and the access token", async () => {
    const anna = realmUser("kc.anna");
    const result = await fetchOidcClaims({ ...portal(), ...anna });
    expect(result.claims.sub).toBe(await keycloakUserId(kc!, "kc.anna"));
    expect(result.claims.preferred_username).toBe("kc.anna");
    expect(result.claims.azp).toBe("stadtfunk-portal");
    expect([...(result.claims.groups as string[])].sort()).toEqual(["it", "stadtfunk-admins"]);
    expect([...(result.userinfo.groups as string[])].sort()).toEqual(["it", "stadtfunk-admins"]);
    expect([...(decodeJwt(result.accessToken).groups as string[])].sort()).toEqual(["it", "stadtfunk-admins"]);

    const bernd = await fetchOidcClaims({ ...portal(), ...realmUser("kc.bernd") });
    expect(bernd.claims.groups).toEqual(["bauamt"]);
  });

  it("refuses an authorization request without a PKCE challenge", async () => {
    const { issuer, clientId, redirectUri } = portal();
    const auth = new URL(`${issuer}/protocol/openid-connect/auth`);
    auth.search = new URLSearchParams({ response_type: "code", client_id: clientId, redirect_uri: redirectUri, scope: "openid", state: "s" }).toString();
    const nav = await new SsoBrowser().navigate(auth.href, { stopAt: redirectUri });
    expect(nav.done).toBe(true);
    expect(nav.url.searchParams.get("error")).toBe("invalid_request");
    expect(nav.url.searchParams.get("code")).toBeNull();
  });
});

describe("group rule (attribute_requirements from allowedGroups)", () => {
  it("admits kc.bernd (bauamt)", async () => {
    const login = await ssoLogin(new SsoBrowser(), "kc.bernd", `${hs!.portalUrl}/after-login`);
    expect(login.user_id).toBe(`@kc.bernd:${SERVER_NAME}`);
  });

  it("keeps kc.erika (praktikum only) out and creates no account", async () => {
    const redirectUrl = `${hs!.portalUrl}/after-login`;
    const nav = await new SsoBrowser().navigate(ssoRedirect(redirectUrl), { stopAt: redirectUrl, login: realmUser("kc.erika") });
    expect(nav.done).toBe(false);
    if (nav.done) return;
    expect(nav.url.pathname).toBe("/_synapse/client/oidc/callback");
    expect(nav.status).toBe(400);
    // Synapse answers its "unauthorised" error with this page.
    expect(nav.html).toMatch(/not (allowed|authori[sz]ed) to log in here/);
    const user = await matrix("GET", `/_synapse/admin/v2/users/${encodeURIComponent(`@kc.erika:${SERVER_NAME}`)}`, undefined, adminToken);
    expect(user.status).toBe(404);
  });
});
