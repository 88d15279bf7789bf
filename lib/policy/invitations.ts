/**
 * Whom a moderator's `!einladen` may reach. Pure: the approved servers
 * (today only our own; federation partners later) come in as arguments.
 */

export type InviteTarget =
  | { ok: true; userId: string }
  | { ok: false; reason: "malformed" }
  | { ok: false; reason: "server-not-approved" | "service-account"; userId: string };

export interface InviteRules {
  /** Our own server name, also used to complete `@name` to `@name:server`. */
  serverName: string;
  /** Servers whose users may be invited; lower-case, with a port where one is used. */
  approvedServers: readonly string[];
  isServiceUser: (userId: string) => boolean;
}

/** Localparts as the spec allows them for new accounts; server names as host[:port]. */
const USER_ID = /^@([a-z0-9._=\-/+]+):([a-z0-9.-]+(?::\d{1,5})?)$/;
const LOCALPART = /^@([a-z0-9._=\-/+]+)$/;
const MAX_USER_ID_LENGTH = 255;

/** Reads `@name:server` (or `@name` for our own server) and checks it may be invited. */
export function checkInviteTarget(raw: string, rules: InviteRules): InviteTarget {
  const text = raw.trim();
  const short = LOCALPART.exec(text);
  const userId = short ? `${text}:${rules.serverName}` : text;
  if (userId.length > MAX_USER_ID_LENGTH) return { ok: false, reason: "malformed" };
  const match = USER_ID.exec(userId);
  if (!match) return { ok: false, reason: "malformed" };
  const server = match[2]!;
  if (!rules.approvedServers.includes(server)) return { ok: false, reason: "server-not-approved", userId };
  if (rules.isServiceUser(userId)) return { ok: false, reason: "service-account", userId };
  return { ok: true, userId };
}
