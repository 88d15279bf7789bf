/** The content of an m.room.message the bots send. */
export type MessageContent = Record<string, unknown>;

/**
 * A notice that replies to `eventId`. Plain text only: no formatted_body, so
 * nothing from the room can be interpreted as HTML. Notices never trigger
 * other bots, and empty m.mentions keeps the reply from pinging anyone.
 */
export function buildNoticeReply(eventId: string, body: string): MessageContent {
  return {
    msgtype: "m.notice",
    body,
    "m.relates_to": { "m.in_reply_to": { event_id: eventId } },
    "m.mentions": {},
  };
}
