/** The content of an m.room.message the bots send. */
export type MessageContent = Record<string, unknown>;

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** For every piece of text that goes into a formatted body: user ids, arguments, anything from the room. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * A notice, optionally with a formatted body that the caller built with
 * escapeHtml around every variable part. Notices never trigger other bots,
 * and empty m.mentions keeps them from pinging anyone.
 */
export function buildNotice(body: string, html?: string): MessageContent {
  return {
    msgtype: "m.notice",
    body,
    ...(html !== undefined ? { format: "org.matrix.custom.html", formatted_body: html } : {}),
    "m.mentions": {},
  };
}

/** A notice that replies to `eventId`. */
export function buildNoticeReply(eventId: string, body: string, html?: string): MessageContent {
  return { ...buildNotice(body, html), "m.relates_to": { "m.in_reply_to": { event_id: eventId } } };
}

/** The outbox key of the one answer a command event gets. */
export function replyKey(eventId: string): string {
  return `reply:${eventId}`;
}
