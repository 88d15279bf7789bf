import path from "node:path";
import { pathToFileURL } from "node:url";
import { loadConfigOrExit, type AppConfig } from "../lib/config/load";
import { createUserStore, type UserStore } from "../lib/dev-idp/demo-users";
import { loadOrCreateCookieKeys } from "../lib/dev-idp/keys";
import { startDevIdp, type RunningDevIdp } from "../lib/dev-idp/provider";
import { createLogger, type Logger } from "../lib/log";

/**
 * Entry point of the development identity provider (`npm run idp`). It stands
 * in for the city's SSO in demo mode only and registers the portal and Synapse
 * as clients.
 */

export const DEMO_ONLY_MESSAGE = "The development identity provider runs only with STADTFUNK_DEMO=true";

export async function startDevIdpFromConfig(
  config: AppConfig,
  logger: Logger,
  users: UserStore = createUserStore(),
): Promise<RunningDevIdp> {
  if (!config.demo) throw new Error(DEMO_ONLY_MESSAGE);
  const { oidc, portal, matrix } = config;
  if (!oidc.clientSecret || !oidc.synapseClientSecret) {
    throw new Error("OIDC_CLIENT_SECRET and OIDC_SYNAPSE_CLIENT_SECRET are required");
  }
  // Signing key and cookie keys live in the data directory so a restart keeps
  // issued tokens and browser sessions valid.
  const keyDir = path.join(config.dataDir, "dev-idp");
  const issuerPort = new URL(oidc.issuer).port;
  if (issuerPort && Number(issuerPort) !== config.devIdp.port) {
    logger.warn({ issuer: oidc.issuer, port: config.devIdp.port }, "OIDC_ISSUER port differs from DEV_IDP_PORT");
  }
  const idp = await startDevIdp({
    port: config.devIdp.port,
    host: "127.0.0.1",
    issuer: oidc.issuer,
    cityName: config.cityName,
    users,
    logger,
    keyDir,
    cookieKeys: await loadOrCreateCookieKeys(keyDir),
    clients: [
      {
        client_id: oidc.clientId,
        client_secret: oidc.clientSecret,
        redirect_uris: [`${portal.url}/api/auth/callback/oidc`],
        post_logout_redirect_uris: [`${portal.url}/`],
        backchannel_logout_uri: `${portal.url}/api/auth/backchannel-logout`,
      },
      {
        client_id: oidc.synapseClientId,
        client_secret: oidc.synapseClientSecret,
        redirect_uris: [`${matrix.homeserverUrl}/_synapse/client/oidc/callback`],
        backchannel_logout_uri: `${matrix.homeserverUrl}/_synapse/client/oidc/backchannel_logout`,
      },
    ],
  });
  logger.info({ issuer: idp.issuer, url: idp.url, users: users.list().length }, "development identity provider listening");
  return idp;
}

async function main(): Promise<void> {
  const config = loadConfigOrExit(["OIDC_CLIENT_SECRET", "OIDC_SYNAPSE_CLIENT_SECRET"]);
  const logger = createLogger("dev-idp", config.logLevel);
  if (!config.demo) {
    logger.error(DEMO_ONLY_MESSAGE);
    process.exit(1);
  }
  let idp: RunningDevIdp;
  try {
    idp = await startDevIdpFromConfig(config, logger);
  } catch (err) {
    logger.fatal({ err }, "cannot start the development identity provider");
    process.exit(1);
  }
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    // A hung close must not keep the process alive forever.
    setTimeout(() => process.exit(1), 5000).unref();
    idp.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  void main();
}
