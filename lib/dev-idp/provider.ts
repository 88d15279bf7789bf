import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { interactionPolicy, type Configuration, type KoaContextWithOIDC } from "oidc-provider";
import type { Logger } from "../log";
import { claimsFor, type UserStore } from "./demo-users";
import { handleInteraction, sendHtml } from "./interactions";
import { loadOrCreateSigningKey } from "./keys";
import { errorPage, logoutPage, logoutSuccessPage } from "./pages";

/**
 * The embedded development identity provider: the `oidc-provider` library
 * configured like the city's SSO (code flow, PKCE, a `groups` claim,
 * back-channel logout), with our own login page instead of devInteractions.
 */

export interface DevIdpClient {
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
  post_logout_redirect_uris?: string[];
  backchannel_logout_uri?: string;
}

export interface DevIdpOptions {
  /** Issuer URL; plain http is fine on loopback, the issuer path must be "/". */
  issuer: string;
  clients: DevIdpClient[];
  users: UserStore;
  /** Keys for signing the provider's cookies; newest first. */
  cookieKeys: string[];
  logger: Logger;
  /** Keeps the signing key on disk so tokens survive restarts; ephemeral without. */
  keyDir?: string;
  cityName?: string;
}

/** Discovery metadata field by which the portal recognises the demo provider. */
export const DEMO_PROVIDER_MARKER = "stadtfunk_demo_provider";

export const SCOPES = ["openid", "offline_access", "profile", "email", "groups"];

const CLAIMS = {
  openid: ["sub"],
  profile: ["name", "given_name", "family_name", "preferred_username"],
  email: ["email", "email_verified"],
  groups: ["groups"],
};

const DAY = 24 * 60 * 60;

/** Login is required again once the session's account was disabled (a leaver). */
function policy() {
  const base = interactionPolicy.base();
  base.get("login")?.checks.add(
    new interactionPolicy.Check(
      "account_unavailable",
      "the signed-in account is disabled or no longer exists",
      // Checks added after construction do not inherit the prompt's error code.
      "login_required",
      (ctx) => Boolean(ctx.oidc.session?.accountId) && !ctx.oidc.account,
    ),
  );
  return base;
}

/**
 * All registered clients are first-party (portal, Synapse): grant the requested
 * scopes without a consent screen, which also lets `prompt=none` succeed for a
 * client the user has not used yet in this session.
 */
async function loadExistingGrant(ctx: KoaContextWithOIDC) {
  const { oidc } = ctx;
  const accountId = oidc.account?.accountId;
  const clientId = oidc.client?.clientId;
  if (!accountId || !clientId) return undefined;
  const grantId = (oidc.result?.consent?.grantId as string | undefined) ?? oidc.session?.grantIdFor(clientId);
  const found = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
  const grant =
    found && found.accountId === accountId ? found : new oidc.provider.Grant({ accountId, clientId });
  grant.addOIDCScope(oidc.requestParamOIDCScopes);
  grant.addOIDCClaims(oidc.requestParamClaims);
  await grant.save();
  return grant;
}

export async function createDevIdp(options: DevIdpOptions): Promise<Provider> {
  const { issuer, clients, users, cookieKeys, logger } = options;
  const issuerUrl = new URL(issuer);
  if (issuerUrl.pathname !== "/") throw new Error(`dev-idp issuer must not have a path: ${issuer}`);
  if (cookieKeys.length === 0 || cookieKeys.some((k) => k.length < 32)) {
    throw new Error("dev-idp needs at least one cookie key of 32 or more characters");
  }
  const signingKey = await loadOrCreateSigningKey(options.keyDir);

  // oidc-provider refuses outgoing requests to loopback/private addresses (SSRF
  // guard). Back-channel logout to our own local services must get through, so
  // the guard is dropped for exactly the registered logout endpoints' origins.
  const logoutOrigins = new Set(
    clients.flatMap((c) => (c.backchannel_logout_uri ? [new URL(c.backchannel_logout_uri).origin] : [])),
  );
  const fetchForProvider = (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : input);
    if (init && logoutOrigins.has(url.origin)) {
      const { dispatcher: _ssrfGuard, ...rest } = init as RequestInit & { dispatcher?: unknown };
      return globalThis.fetch(input, rest);
    }
    return globalThis.fetch(input, init);
  };

  const configuration: Configuration = {
    clients: clients.map((c) => ({
      client_id: c.client_id,
      client_secret: c.client_secret,
      redirect_uris: c.redirect_uris,
      post_logout_redirect_uris: c.post_logout_redirect_uris ?? [],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
      ...(c.backchannel_logout_uri
        ? { backchannel_logout_uri: c.backchannel_logout_uri, backchannel_logout_session_required: true }
        : {}),
    })),
    jwks: { keys: [signingKey as Record<string, unknown>] },
    cookies: { keys: cookieKeys },
    scopes: SCOPES,
    claims: CLAIMS,
    // Put the scope claims (groups, preferred_username, ...) into the ID token
    // too: the portal and Synapse read them from there.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    // Marks this provider as the demo one: the portal refuses it unless STADTFUNK_DEMO=true.
    discovery: { [DEMO_PROVIDER_MARKER]: true },
    // Refresh tokens for every client allowed to use them, without requiring
    // offline_access (which oidc-provider only accepts together with prompt=consent).
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed("refresh_token"),
    findAccount: (_ctx, sub) => {
      const user = users.findActiveBySub(sub);
      if (!user) return undefined;
      return { accountId: user.sub, claims: () => claimsFor(user) };
    },
    loadExistingGrant,
    interactions: {
      policy: policy(),
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
    },
    features: {
      devInteractions: { enabled: false },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.type = "html";
          ctx.body = logoutPage(form);
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.type = "html";
          ctx.body = logoutSuccessPage();
        },
      },
    },
    renderError: (ctx, out) => {
      ctx.type = "html";
      ctx.body = errorPage(out);
    },
    clientBasedCORS: () => false,
    fetch: fetchForProvider,
    ttl: {
      AccessToken: 60 * 60,
      AuthorizationCode: 60,
      IdToken: 60 * 60,
      RefreshToken: 14 * DAY,
      Interaction: 60 * 60,
      Session: 14 * DAY,
      Grant: 14 * DAY,
    },
  };

  const provider = new Provider(issuer, configuration);
  // Only a local TLS-terminating proxy can put an https issuer in front of this
  // loopback listener; then trust its X-Forwarded-* headers so cookies get "Secure".
  provider.proxy = issuerUrl.protocol === "https:";

  provider.on("server_error", (_ctx, err) => logger.error({ err }, "oidc server error"));
  const rejected = (event: string) => (_ctx: unknown, err: Error & { error_description?: string }) =>
    logger.warn({ event, error: err.name, detail: err.error_description }, "oidc request rejected");
  provider.on("authorization.error", rejected("authorization.error"));
  provider.on("grant.error", rejected("grant.error"));
  provider.on("userinfo.error", rejected("userinfo.error"));
  provider.on("end_session.error", rejected("end_session.error"));
  provider.on("backchannel.success", (_ctx, client, accountId) =>
    logger.info({ clientId: client.clientId, sub: accountId }, "back-channel logout delivered"),
  );
  provider.on("backchannel.error", (_ctx, err, client, accountId) =>
    logger.warn({ clientId: client.clientId, sub: accountId, error: err.message }, "back-channel logout failed"),
  );
  provider.on("end_session.success", (ctx) =>
    logger.info({ clientId: ctx.oidc.client?.clientId }, "session ended"),
  );
  // Like Keycloak: a refused refresh says when the account is disabled.
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as { error?: string } | undefined;
    if (ctx.path !== "/token" || body?.error !== "invalid_grant") return;
    const sub = (ctx.oidc?.entities as { RefreshToken?: { accountId?: string } } | undefined)?.RefreshToken?.accountId;
    const user = users.list().find((u) => u.sub === sub);
    if (user && users.isDisabled(user.username)) ctx.body = { error: "invalid_grant", error_description: "User disabled" };
  });
  return provider;
}

export interface StartDevIdpOptions extends Omit<DevIdpOptions, "issuer"> {
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** Defaults to the listening URL, e.g. http://127.0.0.1:3100. */
  issuer?: string;
}

export interface RunningDevIdp {
  /** Where the server listens. */
  url: string;
  issuer: string;
  provider: Provider;
  close(): Promise<void>;
}

/** Serves the provider and the interaction pages on one plain node:http server. */
export async function startDevIdp(options: StartDevIdpOptions): Promise<RunningDevIdp> {
  const { port, host = "127.0.0.1", ...rest } = options;
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server = createServer((req, res) => {
    if (handler) handler(req, res);
    else sendHtml(res, 503, "starting");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port: actualPort } = server.address() as AddressInfo;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${actualPort}`;
  const issuer = rest.issuer ?? url;

  let provider: Provider;
  try {
    provider = await createDevIdp({ ...rest, issuer });
  } catch (err) {
    server.close();
    throw err;
  }
  const deps = { provider, users: rest.users, logger: rest.logger, cityName: rest.cityName ?? "Musterstadt" };
  const oidc = provider.callback();
  handler = (req, res) => {
    const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
    if (pathname.startsWith("/interaction/")) void handleInteraction(deps, req, res, pathname);
    else void oidc(req, res);
  };

  return {
    url,
    issuer,
    provider,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Keep-alive connections would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}
