import { createHash, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../log";
import { createUserStore, DEMO_PASSWORD } from "./demo-users";
import { generateCookieKeys } from "./keys";
import { startDevIdp, type RunningDevIdp } from "./provider";

const PORTAL = { id: "portal", secret: "portal-secret-0123456789", redirect: "http://127.0.0.1:9/cb" };
const SYNAPSE = { id: "synapse", secret: "synapse-secret-0123456789", redirect: "http://127.0.0.1:9/syn/cb" };
const SCOPE = "openid profile email groups";

/** Just enough of a browser: a cookie jar (paths ignored) and manual redirects. */
class Browser {
  private jar = new Map<string, string>();

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ");
    const res = await fetch(url, {
      ...init,
      redirect: "manual",
      headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) },
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const i = pair.indexOf("=");
      const name = pair.slice(0, i);
      const value = pair.slice(i + 1);
      if (value === "" || /expires=Thu, 01 Jan 1970/i.test(line)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return res;
  }

  post(url: string, form: Record<string, string>): Promise<Response> {
    return this.request(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form).toString(),
    });
  }

  /** Follows redirects on the IdP until it sends us to `stopAt` or shows a page. */
  async follow(start: string, base: string, stopAt: string): Promise<Response & { finalUrl: string }> {
    let url = start;
    for (let hop = 0; hop < 10; hop++) {
      const res = await this.request(url);
      const location = res.headers.get("location");
      if (!location) return Object.assign(res, { finalUrl: url });
      url = new URL(location, base).href;
      if (url.startsWith(stopAt)) return Object.assign(res, { finalUrl: url });
    }
    throw new Error("too many redirects");
  }
}

function pkce() {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

let idp: RunningDevIdp;
let backchannel: Server;
const logoutTokens: string[] = [];
const users = createUserStore();

function authUrl(client: typeof PORTAL, extra: Record<string, string> = {}, challenge = pkce().challenge) {
  const q = new URLSearchParams({
    client_id: client.id,
    redirect_uri: client.redirect,
    response_type: "code",
    scope: SCOPE,
    state: "st4te",
    nonce: "n0nce",
    code_challenge: challenge,
    code_challenge_method: "S256",
    ...extra,
  });
  return `${idp.url}/auth?${q}`;
}

/** GET /auth → login page → POST credentials; returns the login response and where it led. */
async function login(browser: Browser, username: string, password: string, challenge?: string) {
  const start = await browser.follow(authUrl(PORTAL, {}, challenge), idp.url, PORTAL.redirect);
  expect(start.status).toBe(200);
  const html = await start.text();
  const action = /action="([^"]+\/login)"/.exec(html)?.[1];
  expect(action).toBeDefined();
  const res = await browser.post(new URL(action!, idp.url).href, { username, password });
  return res;
}

async function codeFrom(browser: Browser, res: Response, redirect = PORTAL.redirect) {
  expect(res.status).toBe(303);
  const done = await browser.follow(new URL(res.headers.get("location")!, idp.url).href, idp.url, redirect);
  return new URL(done.finalUrl).searchParams;
}

async function redeem(client: typeof PORTAL, code: string, verifier: string) {
  const res = await fetch(`${idp.url}/token`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: client.redirect, code_verifier: verifier }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { id_token: string; access_token: string; refresh_token?: string };
}

const verifyIdToken = (token: string, audience: string) =>
  jwtVerify(token, createRemoteJWKSet(new URL(`${idp.url}/jwks`)), { issuer: idp.issuer, audience });

beforeAll(async () => {
  backchannel = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      logoutTokens.push(new URLSearchParams(body).get("logout_token") ?? "");
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => backchannel.listen(0, "127.0.0.1", r));
  const bcPort = (backchannel.address() as AddressInfo).port;
  idp = await startDevIdp({
    port: 0,
    users,
    cookieKeys: generateCookieKeys(),
    logger: createLogger("dev-idp-test", "silent"),
    clients: [
      { client_id: PORTAL.id, client_secret: PORTAL.secret, redirect_uris: [PORTAL.redirect], post_logout_redirect_uris: ["http://127.0.0.1:9/"] },
      {
        client_id: SYNAPSE.id,
        client_secret: SYNAPSE.secret,
        redirect_uris: [SYNAPSE.redirect],
        backchannel_logout_uri: `http://127.0.0.1:${bcPort}/backchannel_logout`,
      },
    ],
  });
});

afterAll(async () => {
  await idp?.close();
  await new Promise((r) => backchannel?.close(r));
});

describe("development identity provider", () => {
  const browser = new Browser();
  let idToken = "";

  it("runs the authorization code flow with PKCE and releases the groups claim", async () => {
    const { verifier, challenge } = pkce();
    const params = await codeFrom(browser, await login(browser, "anna.admin", DEMO_PASSWORD, challenge));
    expect(params.get("state")).toBe("st4te");
    const tokens = await redeem(PORTAL, params.get("code")!, verifier);
    idToken = tokens.id_token;
    const { payload, protectedHeader } = await verifyIdToken(tokens.id_token, PORTAL.id);
    expect(protectedHeader.alg).toBe("RS256");
    expect(payload).toMatchObject({
      sub: "ce5346e9-61e3-4228-8bc4-5a9430625dcb",
      preferred_username: "anna.admin",
      email: "anna.admin@musterstadt.example",
      groups: ["stadtfunk-admins", "it"],
      nonce: "n0nce",
    });
    expect(tokens.refresh_token).toBeTruthy();

    const info = await fetch(`${idp.url}/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(await info.json()).toMatchObject({ sub: payload.sub, groups: ["stadtfunk-admins", "it"] });
  });

  it("rejects a wrong password with a visible error and no code", async () => {
    const res = await login(new Browser(), "bernd.bauamt", "falsch");
    expect(res.status).toBe(401);
    expect(res.headers.get("location")).toBeNull();
    expect(await res.text()).toContain('role="alert"');
  });

  it("refuses a disabled user", async () => {
    users.setDisabled("dieter.bauamt", true);
    try {
      const res = await login(new Browser(), "dieter.bauamt", DEMO_PASSWORD);
      expect(res.status).toBe(401);
      expect(await res.text()).toContain("deaktiviert");
    } finally {
      users.setDisabled("dieter.bauamt", false);
    }
  });

  it("rejects an authorization request without a PKCE challenge", async () => {
    const url = authUrl(PORTAL).replace(/&code_challenge=[^&]+&code_challenge_method=S256/, "");
    const res = await new Browser().follow(url, idp.url, PORTAL.redirect);
    const params = new URL(res.finalUrl).searchParams;
    expect(params.get("error")).toBe("invalid_request");
    expect(params.get("code")).toBeNull();
  });

  it("answers prompt=none without a session with login_required", async () => {
    const res = await new Browser().follow(authUrl(PORTAL, { prompt: "none" }), idp.url, PORTAL.redirect);
    expect(new URL(res.finalUrl).searchParams.get("error")).toBe("login_required");
  });

  it("answers prompt=none with a session with a code, also for a second client", async () => {
    const { verifier, challenge } = pkce();
    const res = await browser.follow(authUrl(SYNAPSE, { prompt: "none" }, challenge), idp.url, SYNAPSE.redirect);
    const params = new URL(res.finalUrl).searchParams;
    expect(params.get("error")).toBeNull();
    const tokens = await redeem(SYNAPSE, params.get("code")!, verifier);
    const { payload } = await verifyIdToken(tokens.id_token, SYNAPSE.id);
    expect(payload).toMatchObject({ preferred_username: "anna.admin", groups: ["stadtfunk-admins", "it"] });
    expect(payload.sid).toBeTruthy();
  });

  it("completes an explicit consent prompt on its own and refreshes tokens", async () => {
    const { verifier, challenge } = pkce();
    const url = authUrl(PORTAL, { prompt: "consent", scope: `${SCOPE} offline_access` }, challenge);
    const res = await browser.follow(url, idp.url, PORTAL.redirect);
    const code = new URL(res.finalUrl).searchParams.get("code");
    expect(code).toBeTruthy();
    const tokens = await redeem(PORTAL, code!, verifier);
    const refreshed = await fetch(`${idp.url}/token`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${PORTAL.id}:${PORTAL.secret}`).toString("base64")}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: tokens.refresh_token! }),
    });
    expect(refreshed.status).toBe(200);
    const body = (await refreshed.json()) as { id_token: string };
    const { payload } = await verifyIdToken(body.id_token, PORTAL.id);
    expect(payload.groups).toEqual(["stadtfunk-admins", "it"]);
  });

  it("asks a disabled user with a live session to log in again", async () => {
    const b = new Browser();
    await codeFrom(b, await login(b, "clara.kaemmerei", DEMO_PASSWORD));
    users.setDisabled("clara.kaemmerei", true);
    try {
      const res = await b.follow(authUrl(PORTAL, { prompt: "none" }), idp.url, PORTAL.redirect);
      expect(new URL(res.finalUrl).searchParams.get("error")).toBe("login_required");
    } finally {
      users.setDisabled("clara.kaemmerei", false);
    }
  });

  it("logs out via the end-session endpoint and notifies back-channel clients", async () => {
    const q = new URLSearchParams({ id_token_hint: idToken, post_logout_redirect_uri: "http://127.0.0.1:9/", state: "bye" });
    const page = await browser.request(`${idp.url}/session/end?${q}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1];
    const action = /<form[^>]+action="([^"]+)"/.exec(html)?.[1];
    const done = await browser.post(new URL(action!, idp.url).href, { xsrf: xsrf!, logout: "yes" });
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe("http://127.0.0.1:9/?state=bye");

    expect(logoutTokens).toHaveLength(1);
    const { payload } = await verifyIdToken(logoutTokens[0]!, SYNAPSE.id);
    expect(payload.sub).toBe("ce5346e9-61e3-4228-8bc4-5a9430625dcb");
    expect(payload.events).toHaveProperty(["http://schemas.openid.net/event/backchannel-logout"]);

    const after = await browser.follow(authUrl(PORTAL, { prompt: "none" }), idp.url, PORTAL.redirect);
    expect(new URL(after.finalUrl).searchParams.get("error")).toBe("login_required");
  });
});
