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

export function moduleBotUserId(
  cfg: { appservice: Pick<AppConfig["appservice"], "userPrefix">; matrix: Pick<AppConfig["matrix"], "serverName"> },
  bot: ModuleBot,
): string {
  return `@${cfg.appservice.userPrefix}${bot.name}:${cfg.matrix.serverName}`;
}
