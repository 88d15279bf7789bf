import { loadConfig, type AppConfig } from "../config/load";
import { openDb, runMigrations, type Db, type DbHandle } from "../db/client";
import { createLogger, type Logger } from "../log";
import { createTokenCipher, type TokenCipher } from "../auth/token-crypto";
import { createServiceClient, type ServiceClient } from "../matrix/service-client";
import { assertTrustedIssuer } from "../auth/issuer-guard";

/** The portal process's long-lived objects, created once per process (and once across dev reloads). */
interface PortalRuntime {
  config: AppConfig;
  log: Logger;
  dbHandle: DbHandle;
  db: Db;
  tokens: TokenCipher;
  service: ServiceClient;
  migrated?: Promise<void>;
}

const holder = globalThis as typeof globalThis & { __stadtfunkPortal?: PortalRuntime };

export function portalRuntime(): PortalRuntime {
  if (!holder.__stadtfunkPortal) {
    const config = loadConfig(["AUTH_SECRET", "OIDC_CLIENT_SECRET", "MATRIX_ADMIN_TOKEN", "APPSERVICE_AS_TOKEN"]);
    const dbHandle = openDb(config.database.url, { max: 10 });
    holder.__stadtfunkPortal = {
      config,
      log: createLogger("portal", config.logLevel),
      dbHandle,
      db: dbHandle.db,
      tokens: createTokenCipher(config.portal.authSecret),
      service: createServiceClient(config),
    };
  }
  return holder.__stadtfunkPortal;
}

/** Runs at server start (instrumentation.ts): fails fast on bad config, applies migrations. */
export async function preparePortal(): Promise<void> {
  const rt = portalRuntime();
  rt.migrated ??= runMigrations(rt.dbHandle);
  await rt.migrated;
  await assertTrustedIssuer(rt.config.oidc.issuer, rt.config.demo);
  rt.log.info({ url: rt.config.portal.url, demo: rt.config.demo }, "portal ready");
}
