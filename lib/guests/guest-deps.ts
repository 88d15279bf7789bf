import type { TokenCipher } from "../auth/token-crypto";
import type { AppConfig } from "../config/load";
import type { Db } from "../db/client";
import type { Logger } from "../log";
import type { GuestAccounts } from "../matrix/guest-accounts";
import type { ServiceClient } from "../matrix/service-client";

/** What the guest use cases need; the portal wires the real ones, tests pass fakes or a real homeserver. */
export interface GuestDeps {
  db: Db;
  /** The service's bot: reads room state (moderator checks, memberships) and invites. */
  service: Pick<ServiceClient, "userId" | "getState" | "getStateEvent" | "invite" | "sendState">;
  accounts: GuestAccounts;
  /** Encrypts the guest's Matrix token at rest. */
  tokens: TokenCipher;
  config: {
    portalUrl: string;
    cityName: string;
    serverName: string;
    userPrefix: string;
    jitsi: Pick<AppConfig["jitsi"], "domain" | "authMode" | "appId" | "appSecret" | "tokenTtlSeconds">;
  };
  log: Logger;
  now: () => Date;
}

export function guestConfigFrom(config: AppConfig): GuestDeps["config"] {
  return {
    portalUrl: config.portal.url,
    cityName: config.cityName,
    serverName: config.matrix.serverName,
    userPrefix: config.appservice.userPrefix,
    jitsi: {
      domain: config.jitsi.domain,
      authMode: config.jitsi.authMode,
      appId: config.jitsi.appId,
      appSecret: config.jitsi.appSecret,
      tokenTtlSeconds: config.jitsi.tokenTtlSeconds,
    },
  };
}
