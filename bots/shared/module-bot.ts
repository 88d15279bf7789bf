import type { Logger } from "../../lib/log";
import type { BotClient } from "./homeserver";

export interface ModuleBotDeps {
  /** The service's main bot: creator of every managed room, always a member. */
  main: BotClient;
  /** The module's own user (e.g. "Stadtfunk Regeln"). */
  module: BotClient;
  /** The level the module needs in a managed room. */
  powerLevel: number;
  /** The module bot is only ever brought into rooms the service manages. */
  isManaged: (roomId: string) => Promise<boolean>;
  logger: Logger;
}

/** A bot client that acts in each room as whichever user is there to act. */
export interface ModuleBotClient extends BotClient {
  /** The user this module acts as in `roomId`: its own once it has joined, else the main bot. */
  actingUserIn(roomId: string): Promise<string>;
}

const levelOf = (value: unknown, fallback: number): number => (typeof value === "number" && Number.isInteger(value) ? value : fallback);

/**
 * Lets a bot module act as its own user in managed rooms. New rooms invite it
 * with its power level in the creation call; in rooms from before, the main
 * bot grants the level and invites it the first time it is needed. The
 * module then joins (the application service may join as any of its users).
 * Until that has worked — and always in rooms the service does not manage,
 * such as the admin room — the module acts as the main bot. `userId` stays
 * the module's, so the outbox's transaction ids do not change with the actor:
 * a retried send reuses its id whoever sends it.
 */
export function moduleBotClient(deps: ModuleBotDeps): ModuleBotClient {
  const { main, module, logger } = deps;
  const joined = new Map<string, Promise<boolean>>();

  async function bringIn(roomId: string): Promise<boolean> {
    if (!(await deps.isManaged(roomId))) return false;
    const state = await main.getState(roomId);
    const membership = state.find((e) => e.type === "m.room.member" && e.state_key === module.userId)?.content.membership;
    const levels = state.find((e) => e.type === "m.room.power_levels" && e.state_key === "")?.content;
    if (!levels) return false;
    const users = (levels.users ?? {}) as Record<string, unknown>;
    if (levelOf(users[module.userId], levelOf(levels.users_default, 0)) < deps.powerLevel) {
      // The main bot's own change: the policy bot does not judge the service's users.
      await main.sendState(roomId, "m.room.power_levels", "", { ...levels, users: { ...users, [module.userId]: deps.powerLevel } });
    }
    if (membership === "join") return true;
    if (membership === "ban") return false;
    if (membership !== "invite") await main.invite(roomId, module.userId);
    await module.joinRoom(roomId);
    logger.info({ roomId, botUserId: module.userId }, "module bot joined a managed room");
    return true;
  }

  function isActing(roomId: string): Promise<boolean> {
    let known = joined.get(roomId);
    if (!known) {
      known = bringIn(roomId).catch((err: unknown) => {
        logger.warn({ err, roomId, botUserId: module.userId }, "module bot not in the room yet; acting as the main bot");
        // Tried again at the next need.
        joined.delete(roomId);
        return false;
      });
      joined.set(roomId, known);
    }
    return known;
  }
  const actor = async (roomId: string): Promise<BotClient> => ((await isActing(roomId)) ? module : main);

  return {
    userId: module.userId,
    actingUserIn: async (roomId) => (await actor(roomId)).userId,
    sendEvent: async (roomId, type, txnId, content) => (await actor(roomId)).sendEvent(roomId, type, txnId, content),
    sendState: async (roomId, type, stateKey, content) => (await actor(roomId)).sendState(roomId, type, stateKey, content),
    getState: async (roomId) => (await actor(roomId)).getState(roomId),
    invite: async (roomId, userId) => (await actor(roomId)).invite(roomId, userId),
    joinRoom: (roomId) => main.joinRoom(roomId),
    // Rooms of its own (admin room, direct chats) and account data stay with the main bot.
    createRoom: (body) => main.createRoom(body),
    userExists: (userId) => main.userExists(userId),
    getAccountData: (type) => main.getAccountData(type),
    setAccountData: (type, content) => main.setAccountData(type, content),
  };
}

/** The user a client acts as in a room (a module bot client may still stand in with the main bot). */
export async function actingUserIn(client: Pick<BotClient, "userId"> & { actingUserIn?: (roomId: string) => Promise<string> }, roomId: string): Promise<string> {
  return client.actingUserIn ? client.actingUserIn(roomId) : client.userId;
}
