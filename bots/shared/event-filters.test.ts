import { describe, expect, it } from "vitest";
import { checkRoomEvent, checkTextMessage, type EventFilterContext, type IgnoreReason } from "./event-filters";

const STARTED_AT = 1_700_000_000_000;
const NOW = STARTED_AT + 60_000;

const ctx: EventFilterContext = {
  isOwnUser: (id) => id.startsWith("@_stadtfunk_"),
  startedAt: STARTED_AT,
  maxAgeMs: 30_000,
  now: NOW,
};

function textEvent(overrides: Record<string, unknown> = {}, content: Record<string, unknown> = {}) {
  return {
    type: "m.room.message",
    event_id: "$cmd",
    room_id: "!room:stadt.test",
    sender: "@anna:stadt.test",
    origin_server_ts: NOW - 1_000,
    content: { msgtype: "m.text", body: "!ping", ...content },
    ...overrides,
  };
}

describe("checkTextMessage", () => {
  it("accepts a fresh text message from a person", () => {
    const result = checkTextMessage(textEvent(), ctx);
    expect(result).toEqual({ ok: true, event: textEvent() });
  });

  it("accepts a message sent exactly at start and exactly at the age limit", () => {
    expect(checkTextMessage(textEvent({ origin_server_ts: STARTED_AT }), { ...ctx, maxAgeMs: 60_000 }).ok).toBe(true);
    expect(checkTextMessage(textEvent({ origin_server_ts: NOW - 30_000 }), ctx).ok).toBe(true);
  });

  it.each<[string, unknown, IgnoreReason]>([
    ["not an object", "!ping", "malformed"],
    ["null", null, "malformed"],
    ["no event id", textEvent({ event_id: undefined }), "malformed"],
    ["no sender", textEvent({ sender: undefined }), "malformed"],
    ["timestamp as string", textEvent({ origin_server_ts: String(NOW) }), "malformed"],
    ["content missing", textEvent({ content: undefined }), "malformed"],
    ["redacted", textEvent({ unsigned: { redacted_because: { type: "m.room.redaction" } } }), "redacted"],
    ["sent by our bot", textEvent({ sender: "@_stadtfunk_bot:stadt.test" }), "own-user"],
    ["sent by another namespace user", textEvent({ sender: "@_stadtfunk_guest1:stadt.test" }), "own-user"],
    ["sent before the process started", textEvent({ origin_server_ts: STARTED_AT - 1 }), "before-start"],
    ["older than the age limit", textEvent({ origin_server_ts: NOW - 30_001 }), "too-old"],
    ["a state event", textEvent({ type: "m.room.topic", content: { topic: "x" } }), "not-text"],
    ["a notice (bots answer bots otherwise)", textEvent({}, { msgtype: "m.notice" }), "not-text"],
    ["an emote", textEvent({}, { msgtype: "m.emote" }), "not-text"],
    ["an image", textEvent({}, { msgtype: "m.image", body: "a.png" }), "not-text"],
    ["a body that is not a string", textEvent({}, { body: 42 }), "not-text"],
    ["an edit (m.replace)", textEvent({}, { "m.relates_to": { rel_type: "m.replace", event_id: "$old" } }), "edit"],
    ["an edit (m.new_content only)", textEvent({}, { "m.new_content": { msgtype: "m.text", body: "!ping" } }), "edit"],
  ])("ignores %s", (_name, event, reason) => {
    expect(checkTextMessage(event, ctx)).toEqual({ ok: false, reason });
  });

  it("keeps a reply relation (a reply is not an edit)", () => {
    const reply = textEvent({}, { "m.relates_to": { "m.in_reply_to": { event_id: "$x" } } });
    expect(checkTextMessage(reply, ctx).ok).toBe(true);
  });
});

describe("checkRoomEvent", () => {
  it("accepts any fresh event type from a person and keeps unknown fields", () => {
    const member = { ...textEvent({ type: "m.room.member", content: { membership: "join" } }), state_key: "@anna:stadt.test" };
    const result = checkRoomEvent(member, ctx);
    expect(result).toEqual({ ok: true, event: member });
  });

  it("checks redaction before the sender, so a redacted bot event reads as redacted", () => {
    const event = textEvent({ sender: "@_stadtfunk_bot:stadt.test", unsigned: { redacted_because: {} } });
    expect(checkRoomEvent(event, ctx)).toEqual({ ok: false, reason: "redacted" });
  });
});
