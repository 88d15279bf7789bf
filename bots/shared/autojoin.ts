import type { Logger } from "../../lib/log";
import type { EventSource } from "./command-listener";
import { serverOf } from "./user-ids";

export interface InvitePolicy {
  serverName: string;
  /** The bots that may be invited; other namespace users are never joined automatically. */
  botUserIds: ReadonlySet<string>;
}

/**
 * A bot joins only when a user of our own server invites it. Invites from
 * other servers are ignored so no outside party can pull a bot into a room.
 */
export function isAcceptableInvite(event: unknown, policy: InvitePolicy): boolean {
  if (typeof event !== "object" || event === null) return false;
  const e = event as { type?: unknown; sender?: unknown; state_key?: unknown; content?: { membership?: unknown } };
  if (e.type !== "m.room.member" || e.content?.membership !== "invite") return false;
  if (typeof e.sender !== "string" || typeof e.state_key !== "string") return false;
  if (!policy.botUserIds.has(e.state_key)) return false;
  return serverOf(e.sender) === policy.serverName;
}

export interface AutojoinDeps {
  events: EventSource;
  policy: InvitePolicy;
  join: (userId: string, roomId: string) => Promise<unknown>;
  logger: Logger;
}

/**
 * Joins invited bots. No freshness filter here, unlike commands: an invite
 * that arrives after a restart is still pending and still wanted.
 */
export function setupAutojoin(deps: AutojoinDeps): () => void {
  const { policy, logger } = deps;
  const onInvite = (roomId: string, event: unknown): void => {
    const e = event as { sender?: unknown; state_key?: unknown; event_id?: unknown };
    const fields = { roomId, eventId: e.event_id, inviter: e.sender, invitee: e.state_key };
    if (!isAcceptableInvite(event, policy)) {
      logger.info(fields, "invite ignored");
      return;
    }
    deps
      .join(e.state_key as string, roomId)
      .then(() => logger.info(fields, "joined room after invite"))
      .catch((err: unknown) => logger.warn({ ...fields, err }, "could not join room after invite"));
  };
  deps.events.on("room.invite", onInvite);
  return () => deps.events.off("room.invite", onInvite);
}
