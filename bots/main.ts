import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { loadConfigOrExit, type AppConfig } from "../lib/config/load";
import { createLogger, type Logger } from "../lib/log";
import { start as startPingBot } from "./ping";
import {
  addHealthRoute,
  botMessenger,
  createAppservice,
  ensureBotProfile,
  isServiceUser,
  mainBotUser,
  stopAppservice,
} from "./shared/appservice";
import { setupAutojoin } from "./shared/autojoin";
import { routeSdkLogging } from "./shared/sdk-logger";

/** Commands older than this are dropped even while running (e.g. delivered late after an outage). */
export const DEFAULT_MAX_EVENT_AGE_MS = 5 * 60_000;

export interface BotsOptions {
  maxEventAgeMs?: number;
  now?: () => number;
}

export interface RunningBots {
  botUserId: string;
  stop(): Promise<void>;
}

/**
 * Starts the application service with every bot module. Order follows the
 * SDK examples: logging → storage/appservice → handlers → begin, so no event
 * of the first transaction is missed.
 */
export async function startBots(config: AppConfig, logger: Logger, options: BotsOptions = {}): Promise<RunningBots> {
  routeSdkLogging(logger);
  const appservice = createAppservice(config);
  addHealthRoute(appservice);

  const now = options.now ?? Date.now;
  const filter = {
    isOwnUser: (userId: string) => isServiceUser(config, userId),
    // Taken before listening: anything the homeserver stamped earlier is history.
    startedAt: now(),
    maxAgeMs: options.maxEventAgeMs ?? DEFAULT_MAX_EVENT_AGE_MS,
  };
  const main = mainBotUser(config);
  const mainIntent = appservice.getIntent(main.localpart);

  const stopListeners = [
    setupAutojoin({
      events: appservice,
      policy: { serverName: config.matrix.serverName, botUserIds: new Set([mainIntent.userId]) },
      join: (userId, roomId) => appservice.getIntentForUserId(userId).joinRoom(roomId),
      logger,
    }),
    startPingBot({ events: appservice, messenger: botMessenger(mainIntent), filter, logger, now }),
  ];

  let isStopped = false;
  async function stop(): Promise<void> {
    if (isStopped) return;
    isStopped = true;
    for (const stopListener of stopListeners) stopListener();
    await stopAppservice(appservice);
  }

  try {
    await appservice.begin();
    await ensureBotProfile(mainIntent, main.displayName);
  } catch (err) {
    await stop();
    throw err;
  }
  return { botUserId: mainIntent.userId, stop };
}

const SHUTDOWN_GRACE_MS = 5_000;

async function runCli(): Promise<void> {
  const config = loadConfigOrExit(["APPSERVICE_AS_TOKEN", "APPSERVICE_HS_TOKEN"]);
  const logger = createLogger("bots", config.logLevel);
  let bots: RunningBots;
  try {
    bots = await startBots(config, logger);
  } catch (err) {
    logger.fatal({ err }, "bots failed to start");
    process.exit(1);
  }
  logger.info({ port: config.appservice.port }, "bots listening");

  let isStopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    // A second signal means "now": do not wait for in-flight transactions.
    if (isStopping) process.exit(1);
    isStopping = true;
    logger.info({ signal }, "bots stopping");
    bots.stop().then(
      () => {
        logger.info("bots stopped");
        // The process ends once the event loop drains; a leftover socket must not keep it alive.
        setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS).unref();
      },
      (err: unknown) => {
        logger.error({ err }, "bots did not stop cleanly");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) await runCli();
