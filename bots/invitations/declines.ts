import { eq } from "drizzle-orm";
import { people } from "../../drizzle/schema";
import { invitationDeclines } from "../../drizzle/tables/invitations";
import type { Db } from "../../lib/db/client";
import type { Logger } from "../../lib/log";
import { findRoomByMatrixId } from "../../lib/rooms/room-list";
import type { BotClient } from "../shared/homeserver";
import type { Outbox } from "../shared/outbox";
import type { RoomEventBase } from "../shared/event-filters";
import { declineNotice } from "./notice-texts";
import type { RoomActions } from "./room-actions";

export interface DeclineDeps {
  db: Db;
  client: Pick<BotClient, "userId" | "sendEvent">;
  actions: Pick<RoomActions, "getEvent">;
  outbox: Outbox;
  logger: Logger;
}

/** The membership before this event: Synapse puts it in `unsigned.prev_content`; otherwise the replaced event tells. */
async function previousMembership(deps: DeclineDeps, event: RoomEventBase): Promise<unknown> {
  const prev = event.unsigned?.prev_content as { membership?: unknown } | undefined;
  if (prev?.membership !== undefined) return prev.membership;
  const replaced = event.unsigned?.replaces_state;
  if (typeof replaced !== "string") return undefined;
  const before = await deps.actions.getEvent(event.room_id, replaced);
  return (before?.content as { membership?: unknown } | undefined)?.membership;
}

/** True for "invite → leave by the invited person themself": a declined invitation. */
export function isOwnLeave(event: RoomEventBase & { state_key?: unknown }): boolean {
  return event.type === "m.room.member" && event.content.membership === "leave" && event.state_key === event.sender;
}

/**
 * Records a declined invitation in a managed room (shown on the room page)
 * and tells the organiser in the room with a mention. Keyed by the leave
 * event, so a transaction delivered twice notifies once.
 */
export async function handleDecline(deps: DeclineDeps, event: RoomEventBase): Promise<boolean> {
  if ((await previousMembership(deps, event)) !== "invite") return false;
  const room = await findRoomByMatrixId(deps.db, event.room_id);
  if (!room) return false;
  await deps.db
    .insert(invitationDeclines)
    .values({ roomId: room.id, userId: event.sender, eventId: event.event_id, declinedAt: new Date(event.origin_server_ts) })
    .onConflictDoNothing();
  const organiser = await deps.db.query.people.findFirst({ where: eq(people.id, room.organiserId) });
  const decliner = await deps.db.query.people.findFirst({ where: eq(people.matrixUserId, event.sender) });
  if (organiser?.matrixUserId && organiser.matrixUserId !== event.sender) {
    const content = declineNotice(
      { userId: event.sender, name: decliner?.displayName ?? event.sender },
      { userId: organiser.matrixUserId, name: organiser.displayName },
    );
    await deps.outbox.send(deps.client, event.room_id, content, `decline:${event.event_id}`);
  }
  await deps.db.update(invitationDeclines).set({ notifiedAt: new Date() }).where(eq(invitationDeclines.eventId, event.event_id));
  deps.logger.info({ roomId: event.room_id, eventId: event.event_id }, "declined invitation reported to the organiser");
  return true;
}
