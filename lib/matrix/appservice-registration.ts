import type { AppConfig } from "../config/load";

/** The application-service registration Synapse loads (YAML) and the bots use (object). */
export interface AppserviceRegistration {
  id: string;
  url: string;
  as_token: string;
  hs_token: string;
  sender_localpart: string;
  rate_limited: boolean;
  receive_ephemeral: boolean;
  namespaces: {
    users: { exclusive: boolean; regex: string }[];
    aliases: { exclusive: boolean; regex: string }[];
    rooms: { exclusive: boolean; regex: string }[];
  };
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Localpart of the service's main bot; every service user shares the namespace prefix. */
export function botLocalpart(cfg: { appservice: Pick<AppConfig["appservice"], "userPrefix"> }): string {
  return `${cfg.appservice.userPrefix}bot`;
}

/** The main bot's Matrix id: the creator of every managed room. */
export function botUserId(cfg: { appservice: Pick<AppConfig["appservice"], "userPrefix">; matrix: Pick<AppConfig["matrix"], "serverName"> }): string {
  return `@${botLocalpart(cfg)}:${cfg.matrix.serverName}`;
}

/**
 * One exclusive user namespace holding only the service's own users (bots
 * and guests). Staff accounts are never in it: Synapse would refuse their
 * SSO sign-in and the service would receive every private chat.
 * rate_limited: false exempts the service's own operations from rc_* limits.
 */
export function buildAppserviceRegistration(cfg: {
  appservice: AppConfig["appservice"];
  matrix: Pick<AppConfig["matrix"], "serverName">;
}): AppserviceRegistration {
  const server = escapeRegex(cfg.matrix.serverName);
  return {
    id: cfg.appservice.id,
    url: cfg.appservice.url,
    as_token: cfg.appservice.asToken,
    hs_token: cfg.appservice.hsToken,
    sender_localpart: botLocalpart(cfg),
    rate_limited: false,
    receive_ephemeral: false,
    namespaces: {
      users: [{ exclusive: true, regex: `@${escapeRegex(cfg.appservice.userPrefix)}.*:${server}` }],
      aliases: [{ exclusive: true, regex: `#${escapeRegex(cfg.appservice.userPrefix)}.*:${server}` }],
      rooms: [],
    },
  };
}
