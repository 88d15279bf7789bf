import type { Server } from "node:http";
import { Appservice, type IAppserviceStorageProvider, type Intent } from "matrix-bot-sdk";
import type { AppConfig } from "../../lib/config/load";
import { buildAppserviceRegistration, botLocalpart } from "../../lib/matrix/appservice-registration";
import type { BotClient } from "./homeserver";
import type { Outbox } from "./outbox";
import type { MessageContent } from "./replies";
import { localpartOf, serverOf } from "./user-ids";

/** One Matrix user per bot module, all inside the application service's namespace. */
export interface BotUser {
  localpart: string;
  displayName: string;
}

/** The main bot is the registration's sender_localpart; it answers general commands such as !ping. */
export function mainBotUser(config: Pick<AppConfig, "appservice">): BotUser {
  return { localpart: botLocalpart(config), displayName: "Stadtfunk" };
}

/**
 * True for users in the service's namespace on our server. Anchored, unlike
 * the SDK's isNamespacedUser, which tests the registration regex unanchored.
 */
export function isServiceUser(config: Pick<AppConfig, "appservice" | "matrix">, userId: string): boolean {
  const isOurServer = serverOf(userId) === config.matrix.serverName;
  return isOurServer && (localpartOf(userId)?.startsWith(config.appservice.userPrefix) ?? false);
}

/** Homeserver-facing listener on loopback only: Synapse runs on the same host (TLS-02). */
export const APPSERVICE_BIND_ADDRESS = "127.0.0.1";

/**
 * Builds the application service from the validated config. `storage`
 * de-duplicates transactions (DatabaseAppserviceStorage: durably).
 */
export function createAppservice(
  config: Pick<AppConfig, "appservice" | "matrix">,
  storage: IAppserviceStorageProvider,
): Appservice {
  return new Appservice({
    port: config.appservice.port,
    bindAddress: APPSERVICE_BIND_ADDRESS,
    homeserverName: config.matrix.serverName,
    homeserverUrl: config.matrix.homeserverUrl,
    registration: buildAppserviceRegistration(config),
    storage,
  });
}

/** Liveness for the supervisor; must be added before begin(), which installs the catch-all 404. */
export function addHealthRoute(appservice: Appservice, hsToken?: string): void {
  appservice.expressAppInstance.get("/health", (_req, res) => {
    res.json({ status: "ok" });
  });
  if (!hsToken) return;
  // The homeserver's ping (matrix-bot-sdk 0.8 has no route for it); answered only with the hs_token.
  appservice.expressAppInstance.post("/_matrix/app/v1/ping", (req, res) => {
    if (req.headers.authorization !== `Bearer ${hsToken}`) {
      res.status(403).json({ errcode: "M_FORBIDDEN", error: "Bad token" });
      return;
    }
    res.json({});
  });
}

/**
 * Registers the bot user and sets its display name. The name is only written
 * when it differs: every change posts a member event into every joined room.
 */
export async function ensureBotProfile(intent: Intent, displayName: string): Promise<void> {
  await intent.ensureRegistered();
  const client = intent.underlyingClient;
  const profile: unknown = await client.getUserProfile(intent.userId).catch(() => undefined);
  const current = (profile as { displayname?: unknown } | undefined)?.displayname;
  if (current === displayName) return;
  await client.setDisplayName(displayName);
}

/** What a command handler may do as its bot: check membership and post into the room. */
export interface BotMessenger {
  userId: string;
  isInRoom(roomId: string): Promise<boolean>;
  /** Sends through the outbox: one message per key, however often it is asked for. */
  send(roomId: string, content: MessageContent, key: string): Promise<string>;
}

export function botMessenger(intent: Intent, client: BotClient, outbox: Outbox): BotMessenger {
  return {
    userId: client.userId,
    // The SDK refreshes the intent's joined rooms on every membership event of the bot.
    isInRoom: async (roomId) => (await intent.getJoinedRooms()).includes(roomId),
    // Never intent.sendEvent: that joins the room first, and a bot must never join uninvited.
    send: async (roomId, content, key) => (await outbox.send(client, roomId, content, key)).eventId,
  };
}

/**
 * Stops listening and waits until in-flight transactions are answered, so a
 * restart on the same port cannot race the old server. Appservice.stop()
 * neither returns a promise nor exposes its server (matrix-bot-sdk 0.8.0).
 */
export async function stopAppservice(appservice: Appservice): Promise<void> {
  const server = (appservice as unknown as { appServer?: Server }).appServer;
  if (!server?.listening) {
    appservice.stop();
    return;
  }
  await new Promise<void>((resolve) => {
    server.once("close", () => resolve());
    appservice.stop();
  });
}
