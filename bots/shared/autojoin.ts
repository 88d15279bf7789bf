import type { Logger } from "../../lib/log";
import { runDetached, type EventSource } from "./command-listener";
import { serverOf } from "./user-ids";
import type { Schedule } from "./work-queue";

export interface InvitePolicy {
  serverName: string;
  /** The bots that may be invited; other namespace users are never joined automatically. */
  botUserIds: ReadonlySet<string>;
}

export type InviteVerdict = "accept" | "not-an-invite" | "not-a-bot" | "outsider";

/**
 * A bot joins only when a user of our own server invites it. Invites from
 * other servers are ignored so no outside party can pull a bot into a room.
 */
export function judgeInvite(event: unknown, policy: InvitePolicy): InviteVerdict {
  if (typeof event !== "object" || event === null) return "not-an-invite";
  const e = event as { type?: unknown; sender?: unknown; state_key?: unknown; content?: { membership?: unknown } };
  if (e.type !== "m.room.member" || e.content?.membership !== "invite") return "not-an-invite";
  if (typeof e.sender !== "string" || typeof e.state_key !== "string") return "not-an-invite";
  if (!policy.botUserIds.has(e.state_key)) return "not-a-bot";
  return serverOf(e.sender) === policy.serverName ? "accept" : "outsider";
}

export function isAcceptableInvite(event: unknown, policy: InvitePolicy): boolean {
  return judgeInvite(event, policy) === "accept";
}

export interface AutojoinDeps {
  events: EventSource;
  policy: InvitePolicy;
  /** Bots act only in rooms the service manages, so they join nowhere else. */
  isManagedRoom: (roomId: string) => Promise<boolean>;
  join: (userId: string, roomId: string) => Promise<unknown>;
  logger: Logger;
  schedule?: Schedule;
}

/**
 * Joins invited bots. No freshness filter here, unlike commands: an invite
 * that arrives after a restart is still pending and still wanted.
 */
export function setupAutojoin(deps: AutojoinDeps): () => void {
  const { policy, logger } = deps;
  const schedule = deps.schedule ?? runDetached;

  async function handle(roomId: string, event: unknown): Promise<void> {
    const e = event as { sender?: unknown; state_key?: unknown; event_id?: unknown };
    const fields = { roomId, eventId: e.event_id, inviter: e.sender, invitee: e.state_key };
    const verdict = judgeInvite(event, policy);
    if (verdict !== "accept") {
      logger.info({ ...fields, reason: verdict }, "invite ignored");
      return;
    }
    if (!(await deps.isManagedRoom(roomId))) {
      logger.info({ ...fields, reason: "unmanaged-room" }, "invite ignored");
      return;
    }
    await deps.join(e.state_key as string, roomId);
    logger.info(fields, "joined room after invite");
  }

  const onInvite = (roomId: string, event: unknown): void => {
    schedule(roomId, () =>
      handle(roomId, event).catch((err: unknown) => {
        logger.warn({ roomId, eventId: (event as { event_id?: unknown }).event_id, err }, "could not join room after invite");
      }),
    );
  };
  deps.events.on("room.invite", onInvite);
  return () => deps.events.off("room.invite", onInvite);
}
