import { auditLog } from "../../drizzle/schema";
import type { Db } from "../../lib/db/client";
import type { Logger } from "../../lib/log";
import { judgeRoomState, type Enforcement, type RoomPolicy } from "../../lib/policy/room-policy";
import type { BotClient } from "../shared/homeserver";
import type { Outbox } from "../shared/outbox";
import { buildNotice } from "../shared/replies";
import { intendedJoinRuleOf } from "./intended-join-rule";
import { enforcementNotice } from "./policy-texts";

/** Who the audit log names for the policy bot's changes. */
export const POLICY_ACTOR = "bot:policy";

export interface EnforceDeps {
  /** The room's creator: in room version 12 it outranks everyone, so it can always restore the rules. */
  client: Pick<BotClient, "userId" | "getState" | "sendState" | "sendEvent">;
  outbox: Outbox;
  db: Db;
  policy: RoomPolicy;
  isDryRun: boolean;
  logger: Logger;
}

/**
 * Reads the room's current state, restores every broken rule, records each
 * restoration in the audit log and tells the room. Judging current state
 * makes a repeat harmless: a room that keeps the rules is left alone.
 * `trigger` is the event that made us look, or "start-up".
 */
export async function enforceRoomPolicy(deps: EnforceDeps, roomId: string, trigger: string): Promise<Enforcement[]> {
  const { client, logger } = deps;
  const found = judgeRoomState(await client.getState(roomId), deps.policy, { joinRule: await intendedJoinRuleOf(deps.db, roomId) });
  for (const e of found) {
    const fields = {
      roomId,
      trigger,
      action: e.action,
      reason: e.reason,
      eventType: e.eventType,
      stateKey: e.stateKey,
      changedBy: e.changedBy,
      before: e.before,
      after: e.after,
    };
    if (deps.isDryRun) {
      logger.info({ ...fields, dryRun: true }, "policy: would enforce (dry run)");
      continue;
    }
    const restoredBy = await client.sendState(roomId, e.eventType, e.stateKey, e.content);
    await deps.db.insert(auditLog).values({
      actor: POLICY_ACTOR,
      action: e.action,
      subject: roomId,
      details: {
        botUserId: client.userId,
        reason: e.reason,
        eventType: e.eventType,
        stateKey: e.stateKey,
        changedBy: e.changedBy,
        offendingEventId: e.eventId ?? null,
        restoringEventId: restoredBy,
        trigger,
        before: e.before,
        after: e.after,
      },
    });
    logger.info({ ...fields, restoringEventId: restoredBy }, "policy enforced");
    const notice = enforcementNotice(e);
    const key = `policy:${e.eventId ?? restoredBy}:${e.eventType}:${e.stateKey}`;
    await deps.outbox.send(client, roomId, buildNotice(notice.body, notice.html), key);
  }
  return found;
}
