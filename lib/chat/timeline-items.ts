import { cityDayKey } from "./chat-time";
import { describeMembership, ROOM_CHANGE_TEXTS_DE, type RoomChangeTexts } from "./membership-text";

/**
 * Room events → what the chat shows. The input is a plain description of an
 * event (the browser adapter fills it from matrix-js-sdk), so everything here
 * is pure and tested without a homeserver.
 */
export interface ChatEventInput {
  /** Event id; a local echo's transaction id until the server confirms it. */
  id: string;
  /** Stays the same while a local echo becomes the confirmed event (for list keys); defaults to `id`. */
  key?: string;
  type: string;
  sender: string;
  senderName: string;
  ts: number;
  content: Record<string, unknown>;
  stateKey?: string;
  prevContent?: Record<string, unknown>;
  /** Display name of a membership event's target. */
  targetName?: string;
  isRedacted: boolean;
  /** The SDK already folded an edit into `content`. */
  isEdited?: boolean;
  /** Local echo state: null once the server has the event. */
  sendStatus?: "sending" | "not_sent" | null;
}

export interface AttachmentModel {
  mxcUrl: string;
  name: string;
  size?: number;
  mimetype?: string;
  isImage: boolean;
}

interface ItemBase {
  id: string;
  /** Stable list key: unchanged when the server confirms a local echo. */
  key: string;
  ts: number;
  /** First item of a calendar day (Europe/Berlin): the view shows a day heading before it. */
  startsDay: boolean;
}

export interface MessageItem extends ItemBase {
  kind: "message";
  sender: string;
  senderName: string;
  msgtype: string;
  body: string;
  isEmote: boolean;
  isNotice: boolean;
  edited: boolean;
  attachment?: AttachmentModel;
  isOwn: boolean;
  /** A text message of one's own, confirmed by the server: may be edited. */
  canEdit: boolean;
  sendStatus: "sending" | "not_sent" | null;
  /** Same sender as the message before, shortly after: the view may leave the name out. */
  continuesSender: boolean;
}

export interface PlaceholderItem extends ItemBase {
  kind: "redacted" | "encrypted";
  sender: string;
  senderName: string;
  isOwn: boolean;
}

export interface ChangeItem extends ItemBase {
  kind: "change";
  text: string;
}

export type TimelineItem = MessageItem | PlaceholderItem | ChangeItem;

const GROUP_WINDOW_MS = 5 * 60 * 1000;
const TEXT_TYPES = new Set(["m.text", "m.notice", "m.emote"]);
const ATTACHMENT_TYPES = new Set(["m.image", "m.file", "m.audio", "m.video"]);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

function relation(content: Record<string, unknown>): { relType?: string; eventId?: string; inReplyTo: boolean } {
  const rel = content["m.relates_to"];
  if (!isRecord(rel)) return { inReplyTo: false };
  return { relType: str(rel.rel_type), eventId: str(rel.event_id), inReplyTo: isRecord(rel["m.in_reply_to"]) };
}

/** Old clients quote the replied-to message as "> …" lines before the reply; the quote is left out. */
export function stripReplyFallback(body: string): string {
  const lines = body.split("\n");
  if (!lines[0]?.startsWith("> ")) return body;
  let i = 0;
  while (i < lines.length && lines[i]!.startsWith(">")) i++;
  if (lines[i] === "") i++;
  return lines.slice(i).join("\n");
}

/** Latest valid edit per original event: same sender as the original, not itself redacted. */
function latestEdits(events: readonly ChatEventInput[]): Map<string, ChatEventInput> {
  const senders = new Map(events.map((e) => [e.id, e.sender]));
  const edits = new Map<string, ChatEventInput>();
  for (const e of events) {
    if (e.type !== "m.room.message" || e.isRedacted) continue;
    const rel = relation(e.content);
    if (rel.relType !== "m.replace" || !rel.eventId || !isRecord(e.content["m.new_content"])) continue;
    if (senders.get(rel.eventId) !== e.sender) continue;
    const current = edits.get(rel.eventId);
    if (!current || current.ts <= e.ts) edits.set(rel.eventId, e);
  }
  return edits;
}

function attachmentOf(msgtype: string, content: Record<string, unknown>, body: string): AttachmentModel | undefined {
  const url = str(content.url);
  if (!ATTACHMENT_TYPES.has(msgtype) || !url?.startsWith("mxc://")) return undefined;
  const info = isRecord(content.info) ? content.info : {};
  const size = typeof info.size === "number" && Number.isFinite(info.size) ? info.size : undefined;
  const mimetype = str(info.mimetype);
  return {
    mxcUrl: url,
    name: str(content.filename) || body || "Datei",
    size,
    mimetype,
    isImage: msgtype === "m.image" && (mimetype?.startsWith("image/") ?? true),
  };
}

type Draft =
  | Omit<MessageItem, "key" | "startsDay" | "continuesSender">
  | Omit<PlaceholderItem, "key" | "startsDay">
  | Omit<ChangeItem, "key" | "startsDay">;

function messageDraft(e: ChatEventInput, ownUserId: string, edit: ChatEventInput | undefined): Draft | null {
  const base = { id: e.id, ts: e.ts, sender: e.sender, senderName: e.senderName, isOwn: e.sender === ownUserId };
  if (e.isRedacted) return { ...base, kind: "redacted" };
  const rel = relation(e.content);
  if (rel.relType === "m.replace") return null; // folded into its original
  const content = edit ? (edit.content["m.new_content"] as Record<string, unknown>) : e.content;
  const msgtype = str(content.msgtype) ?? "m.text";
  if (isRecord(content.file)) return { ...base, kind: "encrypted" }; // an encrypted attachment
  const rawBody = str(content.body) ?? "";
  const body = rel.inReplyTo ? stripReplyFallback(rawBody) : rawBody;
  const attachment = attachmentOf(msgtype, content, body);
  const sendStatus = e.sendStatus ?? null;
  return {
    ...base,
    kind: "message",
    msgtype,
    body,
    isEmote: msgtype === "m.emote",
    isNotice: msgtype === "m.notice",
    edited: Boolean(edit) || Boolean(e.isEdited),
    attachment,
    canEdit: base.isOwn && TEXT_TYPES.has(msgtype) && sendStatus === null && !e.id.startsWith("~"),
    sendStatus,
  };
}

function stateDraft(e: ChatEventInput, texts: RoomChangeTexts): Draft | null {
  const content = e.content;
  const prev = e.prevContent ?? {};
  const text = (() => {
    switch (e.type) {
      case "m.room.member":
        return describeMembership(
          {
            sender: e.sender,
            senderName: e.senderName,
            target: e.stateKey ?? "",
            targetName: e.targetName ?? e.stateKey ?? "",
            membership: content.membership,
            prevMembership: prev.membership,
            displayName: content.displayname,
            prevDisplayName: prev.displayname,
          },
          texts,
        );
      case "m.room.name": {
        const name = str(content.name);
        return name && name !== prev.name ? texts.roomNamed(e.senderName, name) : null;
      }
      case "m.room.topic": {
        const topic = str(content.topic);
        if (topic === prev.topic) return null;
        return topic ? texts.topicChanged(e.senderName, topic) : texts.topicRemoved(e.senderName);
      }
      default:
        return null;
    }
  })();
  return text ? { id: e.id, ts: e.ts, kind: "change", text } : null;
}

export interface BuildTimelineOptions {
  ownUserId: string;
  texts?: RoomChangeTexts;
}

/** The items the chat shows, oldest first: edits folded in, relations and unknown events left out. */
export function buildTimeline(events: readonly ChatEventInput[], opts: BuildTimelineOptions): TimelineItem[] {
  const texts = opts.texts ?? ROOM_CHANGE_TEXTS_DE;
  const edits = latestEdits(events);
  const items: TimelineItem[] = [];
  let lastDay: string | null = null;
  let previous: TimelineItem | undefined;
  for (const e of events) {
    let draft: Draft | null = null;
    if (e.type === "m.room.message") draft = messageDraft(e, opts.ownUserId, e.isRedacted ? undefined : edits.get(e.id));
    else if (e.type === "m.room.encrypted") {
      draft = e.isRedacted
        ? messageDraft(e, opts.ownUserId, undefined)
        : { id: e.id, ts: e.ts, sender: e.sender, senderName: e.senderName, isOwn: e.sender === opts.ownUserId, kind: "encrypted" };
    } else if (e.stateKey !== undefined) draft = stateDraft(e, texts);
    if (!draft) continue;

    const day = cityDayKey(e.ts);
    const startsDay = day !== lastDay;
    lastDay = day;
    const key = e.key ?? e.id;
    let item: TimelineItem;
    if (draft.kind === "message") {
      const continuesSender =
        !startsDay &&
        previous?.kind === "message" &&
        previous.sender === draft.sender &&
        draft.ts - previous.ts < GROUP_WINDOW_MS;
      item = { ...draft, key, startsDay, continuesSender };
    } else item = { ...draft, key, startsDay } as TimelineItem;
    items.push(item);
    previous = item;
  }
  return items;
}

/** A short text of a message for announcements and previews. */
export function previewText(item: TimelineItem, maxLength = 140): string {
  if (item.kind !== "message") return "";
  const text = item.attachment ? item.attachment.name : item.body.replace(/\s+/g, " ").trim();
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}
