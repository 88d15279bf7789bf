import { z } from "zod";

/**
 * Guards every bot handler runs first. Pure: the clock and "who are we" come
 * in as arguments, so the table test covers every reason.
 */

/** A plain text message a bot may act on. */
export interface TextMessageEvent {
  type: "m.room.message";
  event_id: string;
  room_id: string;
  sender: string;
  origin_server_ts: number;
  content: { msgtype: "m.text"; body: string } & Record<string, unknown>;
  unsigned?: Record<string, unknown>;
}

/** A room event with the fields every filter needs. */
export type RoomEventBase = Pick<TextMessageEvent, "event_id" | "room_id" | "sender" | "origin_server_ts"> & {
  type: string;
  content: Record<string, unknown>;
  unsigned?: Record<string, unknown>;
};

export interface EventFilterContext {
  /** True for the bots and every other user in the application service's namespace. */
  isOwnUser: (userId: string) => boolean;
  /** Epoch ms when this process started; older events are history, not requests. */
  startedAt: number;
  /** Events older than this (by origin_server_ts) are dropped even after a long uptime. */
  maxAgeMs: number;
  /** Epoch ms "now" for this check. */
  now: number;
}

export type IgnoreReason =
  | "malformed"
  | "redacted"
  | "own-user"
  | "before-start"
  | "too-old"
  | "not-text"
  | "edit";

export type FilterResult<T> = { ok: true; event: T } | { ok: false; reason: IgnoreReason };

const roomEventSchema = z.looseObject({
  type: z.string().min(1),
  event_id: z.string().startsWith("$"),
  room_id: z.string().startsWith("!"),
  sender: z.string().startsWith("@"),
  origin_server_ts: z.number().int().nonnegative(),
  content: z.record(z.string(), z.unknown()),
  unsigned: z.record(z.string(), z.unknown()).optional(),
});

const textContentSchema = z.object({ msgtype: z.literal("m.text"), body: z.string() });

/** Redacted events keep their type but lose their content; the server marks them in unsigned. */
function isRedacted(event: RoomEventBase): boolean {
  return event.unsigned?.redacted_because !== undefined;
}

/** An edit repeats an earlier message; acting on it would run the command twice. */
function isEdit(content: Record<string, unknown>): boolean {
  const relation = content["m.relates_to"];
  const isReplace =
    typeof relation === "object" && relation !== null && (relation as { rel_type?: unknown }).rel_type === "m.replace";
  return isReplace || content["m.new_content"] !== undefined;
}

/** The checks every handler needs, whatever the event type. */
export function checkRoomEvent(raw: unknown, ctx: EventFilterContext): FilterResult<RoomEventBase> {
  const parsed = roomEventSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: "malformed" };
  const event = parsed.data;
  if (isRedacted(event)) return { ok: false, reason: "redacted" };
  if (ctx.isOwnUser(event.sender)) return { ok: false, reason: "own-user" };
  if (event.origin_server_ts < ctx.startedAt) return { ok: false, reason: "before-start" };
  if (ctx.now - event.origin_server_ts > ctx.maxAgeMs) return { ok: false, reason: "too-old" };
  return { ok: true, event };
}

/** The checks for command handlers: a fresh, unedited m.text message from someone else. */
export function checkTextMessage(raw: unknown, ctx: EventFilterContext): FilterResult<TextMessageEvent> {
  const base = checkRoomEvent(raw, ctx);
  if (!base.ok) return base;
  const { event } = base;
  if (event.type !== "m.room.message") return { ok: false, reason: "not-text" };
  if (!textContentSchema.safeParse(event.content).success) return { ok: false, reason: "not-text" };
  if (isEdit(event.content)) return { ok: false, reason: "edit" };
  return { ok: true, event: event as TextMessageEvent };
}
