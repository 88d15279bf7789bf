import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { loadConfigOrExit, type AppConfig } from "../lib/config/load";
import { guestConfigFrom } from "../lib/guests/guest-deps";
import { createGuestLinkByCommand } from "../lib/guests/guest-link-command";
import { isGuestUserId } from "../lib/guests/guest-user-id";
import { pingFromHomeserver } from "./shared/homeserver-ping";
import { openDb, runMigrations, type Db } from "../lib/db/client";
import { createLogger, type Logger } from "../lib/log";
import { managedRoomTemplate } from "../lib/policy/power-levels";
import { readRoomAccess } from "../lib/rooms/room-access";
import { smtpSender } from "../lib/mail/mail-outbox";
import { start as startInvitationsBot, type InvitationsBot } from "./invitations";
import { roomActionsActingAs } from "./invitations/room-actions";
import { start as startCleanupBot } from "./cleanup";
import { start as startPingBot } from "./ping";
import { start as startPolicyBot, type PolicyBot } from "./policy";
import { adminReporter, ensureAdminRoom, listenForAdminCommands, storedAdminRoom } from "./policy/admin-room";
import { currentPolicy } from "../lib/policy/policy-store";
import { federationRoomClient, startFederationKeeper } from "./policy/federation-acl";
import { start as startRoomCommands } from "./room-commands";
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
import { directRoomWith } from "./shared/direct-rooms";
import { asServiceClient, createBotClient } from "./shared/homeserver";
import { managedRoomsIn } from "./shared/managed-rooms";
import { createOutbox } from "./shared/outbox";
import { moduleBotClient } from "./shared/module-bot";
import { INVITATIONS_BOT, moduleBotUserId, POLICY_BOT } from "../lib/matrix/bot-users";
import type { RetryInfo, RetryOptions } from "./shared/retry";
import { routeSdkLogging } from "./shared/sdk-logger";
import { DatabaseAppserviceStorage, pruneBotJournal } from "./shared/transaction-store";
import { RoomWorkQueue } from "./shared/work-queue";
import { formatCityTime } from "../lib/time/berlin-time";

/** Commands older than this are dropped even while running (e.g. delivered late after an outage). */
export const DEFAULT_MAX_EVENT_AGE_MS = 5 * 60_000;
/** Completed transactions and sent messages are kept this long, then pruned at start. */
export const JOURNAL_RETENTION_MS = 7 * 24 * 60 * 60_000;

export interface BotsOptions {
  /** The portal database: managed rooms, transactions, outbox, audit log. */
  db: Db;
  /** Policy enforcement only logs what it would do (BOTS_DRY_RUN). */
  isDryRun?: boolean;
  /** Look at every managed room once after the start, for changes made while the bots were down. */
  sweepOnStart?: boolean;
  maxEventAgeMs?: number;
  retry?: RetryOptions;
  now?: () => number;
  /** How often the policy bot looks for a new policy version and due mute lifts (default 5 s). */
  policyCheckIntervalMs?: number;
}

export interface RunningBots {
  botUserId: string;
  /** "Stadtfunk Regeln": the policy bot's own user. */
  policyBotUserId: string;
  /** "Stadtfunk Einladungen": the invitations bot's own user. */
  invitationsBotUserId: string;
  /** Organisers' changes, invitation mails and declines (bots/invitations). */
  invitations: InvitationsBot;
  /** The policy bot: `check()` rolls out a new policy version and lifts due mutes now. */
  policy: PolicyBot;
  /** Settles when the start-up sweep of managed rooms is done. */
  sweep: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the application service with every bot module. Order follows the
 * SDK examples: logging → storage/appservice → handlers → begin, so no event
 * of the first transaction is missed. A transaction is acknowledged only
 * after its events' work is done (see DatabaseAppserviceStorage).
 */
export async function startBots(config: AppConfig, logger: Logger, options: BotsOptions): Promise<RunningBots> {
  routeSdkLogging(logger);
  const { db } = options;
  const isDryRun = options.isDryRun ?? false;
  if (isDryRun) logger.warn("policy enforcement in dry-run mode: nothing is changed");

  const queue = new RoomWorkQueue((err, roomId) => logger.error({ err, roomId }, "bot work failed"));
  const storage = new DatabaseAppserviceStorage({ db, logger, awaitEffects: () => queue.idle() });
  const appservice = createAppservice(config, storage);
  addHealthRoute(appservice, config.appservice.hsToken);

  const now = options.now ?? Date.now;
  const main = mainBotUser(config);
  const mainIntent = appservice.getIntent(main.localpart);
  const policyBotUserId = moduleBotUserId(config, POLICY_BOT);
  const policyIntent = appservice.getIntentForUserId(policyBotUserId);
  const invitationsBotUserId = moduleBotUserId(config, INVITATIONS_BOT);
  const invitationsIntent = appservice.getIntentForUserId(invitationsBotUserId);
  const botUserIds: ReadonlySet<string> = new Set([mainIntent.userId, policyBotUserId, invitationsBotUserId]);
  const connection = {
    homeserverUrl: config.matrix.homeserverUrl,
    asToken: config.appservice.asToken,
    retry: { onRetry: (info: RetryInfo) => logger.warn(info, "homeserver call retried"), ...options.retry },
  };
  const client = createBotClient(connection, mainIntent.userId);
  const outbox = createOutbox(db);
  const managedRooms = managedRoomsIn(db);
  const messenger = botMessenger(mainIntent, client, outbox);
  const service = asServiceClient(client);
  const filter = {
    isOwnUser: (userId: string) => isServiceUser(config, userId),
    // Taken before listening: anything the homeserver stamped earlier is history.
    startedAt: now(),
    maxAgeMs: options.maxEventAgeMs ?? DEFAULT_MAX_EVENT_AGE_MS,
  };

  // Guests live in the service's namespace but are people: their actions are judged like anyone's.
  const isServiceAccount = (userId: string) =>
    isServiceUser(config, userId) && !isGuestUserId(userId, config.appservice.userPrefix, config.matrix.serverName);
  // The policy bot acts as "Stadtfunk Regeln" in managed rooms, brought in on first use in older rooms.
  const policyClient = moduleBotClient({
    main: client,
    module: createBotClient(connection, policyBotUserId),
    powerLevel: POLICY_BOT.powerLevel,
    isManaged: (roomId) => managedRooms.isManaged(roomId),
    logger: logger.child({ bot: "policy" }),
  });
  const policyBot = startPolicyBot({
    events: appservice,
    client: policyClient,
    outbox,
    db,
    managedRooms,
    policy: {
      powerLevelsTemplate: managedRoomTemplate(),
      isServiceUser: isServiceAccount,
    },
    // The usage policy admins edit under /admin/richtlinie; uploads are judged by content.
    currentPolicy: () => currentPolicy(db),
    uploads: {
      connection,
      serverName: config.matrix.serverName,
      mediaAdmin: config.matrix.adminToken ? { homeserverUrl: config.matrix.homeserverUrl, adminToken: config.matrix.adminToken } : null,
    },
    report: adminReporter(db, client, outbox, logger),
    checkIntervalMs: options.policyCheckIntervalMs,
    isDryRun,
    // Only the bots' own changes are exempt; guests live in the namespace too.
    filter: { ...filter, isOwnUser: (userId) => botUserIds.has(userId) },
    queue,
    logger,
    now,
  });
  // Server ACLs and partner members follow the approved partners of each room (lib/federation).
  const federationKeeper = startFederationKeeper({
    events: appservice,
    db,
    client: federationRoomClient(connection, client),
    ownServerName: config.matrix.serverName,
    managedRooms,
    isBotUser: (userId) => botUserIds.has(userId),
    queue,
    logger,
    isDryRun,
  });
  // Invites, removals, meeting details and declines come from "Stadtfunk Einladungen".
  const invitationsClient = moduleBotClient({
    main: client,
    module: createBotClient(connection, invitationsBotUserId),
    powerLevel: INVITATIONS_BOT.powerLevel,
    isManaged: (roomId) => managedRooms.isManaged(roomId),
    logger: logger.child({ bot: "invitations" }),
  });
  const actions = roomActionsActingAs(connection, (roomId) => invitationsClient.actingUserIn(roomId));
  const send = smtpSender(config);
  const invitationsBot = startInvitationsBot({
    events: appservice,
    jobs: {
      db,
      client: invitationsClient,
      actions,
      outbox,
      mailEnabled: send !== null,
      site: { portalUrl: config.portal.url, serverName: config.matrix.serverName, cityName: config.cityName },
      isServiceUser: (userId) => isServiceUser(config, userId),
      logger,
    },
    declines: { db, client: invitationsClient, actions, outbox, logger },
    managedRooms,
    mail: send && { send, from: config.mail.from, messageIdDomain: config.matrix.serverName },
    concurrency: 8,
    filter,
    logger,
    schedule: queue.schedule,
    now,
  });
  // Announces and carries out deletions under the retention policy; the only bot using the admin token.
  const cleanupBot = config.bots.cleanupAdminToken
    ? startCleanupBot({
        db,
        bot: client,
        outbox,
        homeserver: { homeserverUrl: config.matrix.homeserverUrl, adminToken: config.bots.cleanupAdminToken, asToken: config.appservice.asToken },
        portalUrl: config.portal.url,
        logger,
        now,
        intervalMs: config.bots.cleanupIntervalSeconds * 1000,
        parallel: config.bots.cleanupParallelDeletions,
        retry: connection.retry,
      })
    : undefined;
  if (!cleanupBot) logger.warn("neither CLEANUP_ADMIN_TOKEN nor MATRIX_ADMIN_TOKEN set: no room or guest is cleaned up");
  const stopListeners = [
    listenForAdminCommands({
      events: appservice,
      db,
      client,
      outbox,
      adminRoomId: () => storedAdminRoom(db),
      startedAt: filter.startedAt,
      isDryRun,
      activeRooms: () => queue.activeRooms,
      currentPolicy: () => currentPolicy(db),
      filter,
      schedule: queue.schedule,
      logger,
      now,
    }),
    () => federationKeeper.stop(),
    setupAutojoin({
      events: appservice,
      policy: { serverName: config.matrix.serverName, botUserIds },
      isManagedRoom: (roomId) => managedRooms.isManaged(roomId),
      join: (userId, roomId) => createBotClient(connection, userId).joinRoom(roomId),
      logger,
      schedule: queue.schedule,
    }),
    startPingBot({ events: appservice, messenger, filter, logger, schedule: queue.schedule, now }),
    startRoomCommands({
      events: appservice,
      messenger,
      client,
      managedRooms,
      readAccess: (roomId, userId) => readRoomAccess(service, roomId, userId),
      inviteRules: {
        serverName: config.matrix.serverName,
        // Federation partners join this list once they are configured.
        approvedServers: [config.matrix.serverName],
        isServiceUser: isServiceAccount,
      },
      guestLinks: {
        createLink: (roomId, userId, label) =>
          createGuestLinkByCommand({ db, service, config: guestConfigFrom(config), log: logger, now: () => new Date(now()) }, roomId, userId, label),
        directRoom: (userId) => directRoomWith(client, userId),
        portalUrl: config.portal.url,
        formatTime: (date, lang) => formatCityTime(date, lang === "de" ? "de-DE" : "en-GB"),
      },
      filter,
      logger,
      schedule: queue.schedule,
      now,
    }),
    () => policyBot.stop(),
  ];

  let sweep: Promise<void> = Promise.resolve();
  let isStopped = false;
  async function stop(): Promise<void> {
    if (isStopped) return;
    isStopped = true;
    for (const stopListener of stopListeners) stopListener();
    await invitationsBot.stop();
    await cleanupBot?.stop();
    await stopAppservice(appservice);
    await sweep;
    await queue.idle();
  }

  try {
    // The module bots exist before the first transaction: the SDK looks up the joined rooms of
    // every service user named in a membership event, and a room created while the bots were
    // down may already have invited them.
    await Promise.all([policyIntent, invitationsIntent].map((intent) => intent.ensureRegistered()));
    await appservice.begin();
    // Transactions queued while the bots were down are delivered now, not after Synapse's backoff.
    await pingFromHomeserver(config, logger);
    await ensureBotProfile(mainIntent, main.displayName);
    await ensureBotProfile(policyIntent, POLICY_BOT.displayName);
    await ensureBotProfile(invitationsIntent, INVITATIONS_BOT.displayName);
    // The admins' room: a failure here must not keep the bots from enforcing the policy.
    await ensureAdminRoom(db, client, logger).catch((err: unknown) => logger.error({ err }, "admin room not set up"));
    const pruned = await pruneBotJournal(db, new Date(now() - JOURNAL_RETENTION_MS));
    logger.debug(pruned, "bot journal pruned");
  } catch (err) {
    await stop();
    throw err;
  }
  if (options.sweepOnStart ?? true) {
    sweep = policyBot
      .sweep()
      .catch((err: unknown) => logger.error({ err }, "policy sweep failed"))
      .then(() => federationKeeper.sweep())
      .catch((err: unknown) => logger.error({ err }, "federation sweep failed"));
  }
  return { botUserId: mainIntent.userId, policyBotUserId, invitationsBotUserId, invitations: invitationsBot, policy: policyBot, sweep, stop };
}

const SHUTDOWN_GRACE_MS = 5_000;

async function runCli(): Promise<void> {
  const config = loadConfigOrExit(["APPSERVICE_AS_TOKEN", "APPSERVICE_HS_TOKEN"]);
  const logger = createLogger("bots", config.logLevel);
  let bots: RunningBots;
  const database = openDb(config.database.url);
  try {
    await runMigrations(database);
    bots = await startBots(config, logger, { db: database.db, isDryRun: config.bots.isDryRun });
  } catch (err) {
    logger.fatal({ err }, "bots failed to start");
    await database.close().catch(() => {});
    process.exit(1);
  }
  logger.info({ port: config.appservice.port }, "bots listening");

  let isStopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    // A second signal means "now": do not wait for in-flight transactions.
    if (isStopping) process.exit(1);
    isStopping = true;
    logger.info({ signal }, "bots stopping");
    bots
      .stop()
      .then(() => database.close())
      .then(
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
