import { loadConfig, type AppConfig } from "../config/load";
import { openDb, runMigrations, type DbHandle } from "../db/client";
import { createLogger, type Logger } from "../log";

/** The portal process's long-lived objects, created once per process (and once across dev reloads). */
interface PortalRuntime {
  config: AppConfig;
  log: Logger;
  db: DbHandle;
  migrated?: Promise<void>;
}

const holder = globalThis as typeof globalThis & { __stadtfunkPortal?: PortalRuntime };

export function portalRuntime(): PortalRuntime {
  if (!holder.__stadtfunkPortal) {
    const config = loadConfig();
    holder.__stadtfunkPortal = {
      config,
      log: createLogger("portal", config.logLevel),
      db: openDb(config.database.url, { max: 10 }),
    };
  }
  return holder.__stadtfunkPortal;
}

/** Runs at server start (instrumentation.ts): fails fast on bad config, applies migrations. */
export async function preparePortal(): Promise<void> {
  const rt = portalRuntime();
  rt.migrated ??= runMigrations(rt.db);
  await rt.migrated;
  rt.log.info({ url: rt.config.portal.url, demo: rt.config.demo }, "portal ready");
}
