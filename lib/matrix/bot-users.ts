import type { AppConfig } from "../config/load";

/**
 * The bot modules' own Matrix users, next to the main bot ("Stadtfunk", the
 * creator of every managed room) in the application service's namespace.
 * Each module acts under its own name, with the power it needs in managed
 * rooms: explicit power levels rather than room v12's additional creators,
 * whose unlimited power could never be taken back or lowered.
 */
export interface ModuleBot {
  /** Localpart after the namespace prefix: `@_stadtfunk_regeln:…`. */
  name: string;
  displayName: string;
  /** Power level in managed rooms. */
  powerLevel: number;
}

/** Enforcement notices, reverts of state changes (power levels need 100), redactions, flood mutes. */
export const POLICY_BOT: ModuleBot = { name: "regeln", displayName: "Stadtfunk Regeln", powerLevel: 100 };

/**
 * Invites, removals, meeting details and notices, declines. 100, because the
 * usage policy may raise the levels for inviting and kicking up to 100.
 */
export const INVITATIONS_BOT: ModuleBot = { name: "einladungen", displayName: "Stadtfunk Einladungen", powerLevel: 100 };

/** Invited into every new managed room in its creation call. */
export const ROOM_MODULE_BOTS: readonly ModuleBot[] = [POLICY_BOT, INVITATIONS_BOT];

export function moduleBotUserId(
  cfg: { appservice: Pick<AppConfig["appservice"], "userPrefix">; matrix: Pick<AppConfig["matrix"], "serverName"> },
  bot: ModuleBot,
): string {
  return `@${cfg.appservice.userPrefix}${bot.name}:${cfg.matrix.serverName}`;
}

/** The module bots' power levels for a new room's creation call (user id → level). */
export function serviceBotLevels(cfg: Parameters<typeof moduleBotUserId>[0]): Record<string, number> {
  return Object.fromEntries(ROOM_MODULE_BOTS.map((bot) => [moduleBotUserId(cfg, bot), bot.powerLevel]));
}

/**
 * The main bot and every module bot, from the main bot's id (its localpart is
 * the namespace prefix followed by `bot`): whatever any of them posts is the
 * service talking, not activity of the room's people.
 */
export function allBotUserIds(mainBotUserId: string): string[] {
  const m = /^@(.*)bot:(.+)$/.exec(mainBotUserId);
  if (!m) return [mainBotUserId];
  const cfg = { appservice: { userPrefix: m[1]! }, matrix: { serverName: m[2]! } };
  return [mainBotUserId, ...ROOM_MODULE_BOTS.map((bot) => moduleBotUserId(cfg, bot))];
}
