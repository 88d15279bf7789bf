import { auditLog } from "../../drizzle/schema";
import type { Db } from "../../lib/db/client";
import type { Logger } from "../../lib/log";
import { roomNameProblem, type RoomNamingRule } from "../../lib/policy/usage-policy";
import { findRoomByMatrixId } from "../../lib/rooms/room-list";
import type { BotClient } from "../shared/homeserver";
import type { Outbox } from "../shared/outbox";
import { buildNotice, escapeHtml } from "../shared/replies";
import type { ReportToAdmins } from "./admin-report";
import { POLICY_ACTOR } from "./enforce-room-policy";
import { POLICY_BOT_NAME } from "./policy-texts";

export interface RoomNameDeps {
  client: Pick<BotClient, "userId" | "sendState" | "sendEvent">;
  outbox: Outbox;
  db: Db;
  isDryRun: boolean;
  logger: Logger;
  report: ReportToAdmins;
}

interface NameEvent {
  event_id: string;
  room_id: string;
  sender: string;
  content: Record<string, unknown>;
}

/**
 * A rename that breaks the city's naming rule is set back to the name the
 * room was created with (which passed the rule then). A room whose stored
 * name breaks a rule made later is left as it is: there is nothing valid to
 * go back to, and inventing a name would be worse.
 */
export async function enforceRoomName(deps: RoomNameDeps, event: NameEvent, rule: RoomNamingRule): Promise<boolean> {
  const name = typeof event.content.name === "string" ? event.content.name : "";
  const problem = roomNameProblem(rule, name);
  if (!problem) return false;
  const room = await findRoomByMatrixId(deps.db, event.room_id);
  if (!room || roomNameProblem(rule, room.name)) {
    deps.logger.info({ roomId: event.room_id, eventId: event.event_id }, "room name breaks the naming rule; no valid name to restore");
    return false;
  }
  const fields = { roomId: event.room_id, eventId: event.event_id, changedBy: event.sender };
  if (deps.isDryRun) {
    deps.logger.info({ ...fields, dryRun: true }, "policy: would restore the room name (dry run)");
    return true;
  }
  const restoringEventId = await deps.client.sendState(event.room_id, "m.room.name", "", { name: room.name });
  await deps.db.insert(auditLog).values({
    actor: POLICY_ACTOR,
    action: "policy.room-name-restored",
    subject: event.room_id,
    details: {
      botUserId: deps.client.userId,
      reason: "room-name-breaks-rule",
      changedBy: event.sender,
      offendingEventId: event.event_id,
      restoringEventId,
      before: { name },
      after: { name: room.name },
    },
  });
  deps.logger.info(fields, "policy enforced: room name restored");
  await deps.outbox.send(
    deps.client,
    event.room_id,
    buildNotice(
      `${POLICY_BOT_NAME}: ${problem.de} Der Name wurde zurückgesetzt.\n${problem.en} The name was set back.`,
      `<strong>${escapeHtml(POLICY_BOT_NAME)}</strong>: ${escapeHtml(problem.de)} Der Name wurde zurückgesetzt.<br>${escapeHtml(problem.en)} The name was set back.`,
    ),
    `room-name:${event.event_id}`,
  );
  await deps.report(`room-name:${event.event_id}`, {
    de: `Raumname in ${event.room_id} von ${event.sender} geändert und zurückgesetzt („${name}“).`,
    en: `Room name in ${event.room_id} changed by ${event.sender} and set back ("${name}").`,
  });
  return true;
}
