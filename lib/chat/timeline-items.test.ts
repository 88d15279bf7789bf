import { describe, expect, it } from "vitest";
import { buildTimeline, previewText, stripReplyFallback, type ChatEventInput, type MessageItem } from "./timeline-items";

const ANNA = "@anna.admin:stadtfunk.test";
const BERND = "@bernd.bauamt:stadtfunk.test";
const T0 = Date.UTC(2026, 10, 26, 9, 0); // 10:00 in Berlin

let seq = 0;
function ev(over: Partial<ChatEventInput> & { content?: Record<string, unknown> }): ChatEventInput {
  seq += 1;
  return {
    id: `$e${seq}`,
    type: "m.room.message",
    sender: ANNA,
    senderName: "Anna Admin",
    ts: T0 + seq * 1000,
    content: { msgtype: "m.text", body: `Nachricht ${seq}` },
    isRedacted: false,
    ...over,
  };
}

const text = (body: string, over: Partial<ChatEventInput> = {}) => ev({ content: { msgtype: "m.text", body }, ...over });
const edit = (target: ChatEventInput, body: string, over: Partial<ChatEventInput> = {}) =>
  ev({
    content: {
      msgtype: "m.text",
      body: `* ${body}`,
      "m.new_content": { msgtype: "m.text", body },
      "m.relates_to": { rel_type: "m.replace", event_id: target.id },
    },
    ...over,
  });
const member = (membership: string, over: Partial<ChatEventInput> = {}) =>
  ev({ type: "m.room.member", stateKey: BERND, targetName: "Bernd Bauer", content: { membership }, ...over });

const build = (events: ChatEventInput[]) => buildTimeline(events, { ownUserId: ANNA });

describe("buildTimeline", () => {
  it("shows messages with sender, time and whether they are one's own", () => {
    const [a] = build([text("Hallo")]) as [MessageItem];
    expect(a).toMatchObject({ kind: "message", body: "Hallo", senderName: "Anna Admin", isOwn: true, canEdit: true, edited: false });
    const [b] = build([text("Hallo", { sender: BERND, senderName: "Bernd Bauer" })]) as [MessageItem];
    expect(b).toMatchObject({ isOwn: false, canEdit: false });
  });

  it("shows the latest edit of the original sender, marked as edited, and hides the edit events", () => {
    const original = text("Treffen um 10");
    const items = build([original, edit(original, "Treffen um 11"), edit(original, "Treffen um 12")]);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ id: original.id, body: "Treffen um 12", edited: true });
  });

  it("ignores edits by anyone but the original sender", () => {
    const original = text("Original");
    const items = build([original, edit(original, "Fälschung", { sender: BERND })]);
    expect(items).toEqual([expect.objectContaining({ body: "Original", edited: false })]);
  });

  it("keeps an edit the SDK already applied", () => {
    const items = build([text("Neu", { isEdited: true })]);
    expect(items[0]).toMatchObject({ body: "Neu", edited: true });
  });

  it("shows a redacted message as a placeholder, whatever edits it had", () => {
    const original = text("Geheim", { isRedacted: true, content: {} });
    const items = build([original, edit(original, "Noch geheimer")]);
    expect(items).toEqual([expect.objectContaining({ kind: "redacted", id: original.id })]);
  });

  it("shows undecryptable events and encrypted attachments as encrypted", () => {
    const items = build([
      ev({ type: "m.room.encrypted", content: { algorithm: "m.megolm.v1.aes-sha2", ciphertext: "…" } }),
      ev({ content: { msgtype: "m.file", body: "a.pdf", file: { url: "mxc://x/y" } } }),
    ]);
    expect(items.map((i) => i.kind)).toEqual(["encrypted", "encrypted"]);
  });

  it("describes membership changes and leaves out avatar-only changes", () => {
    const items = build([
      member("invite", { sender: "@stadtfunk:stadtfunk.test", senderName: "Stadtfunk" }),
      member("join", { sender: BERND, senderName: "Bernd Bauer", prevContent: { membership: "invite" } }),
      member("join", { sender: BERND, prevContent: { membership: "join" }, content: { membership: "join", avatar_url: "mxc://a/b" } }),
      member("leave", { sender: BERND, prevContent: { membership: "join" } }),
    ]);
    expect(items.map((i) => (i.kind === "change" ? i.text : i.kind))).toEqual([
      "Stadtfunk hat Bernd Bauer eingeladen",
      "Bernd Bauer ist beigetreten",
      "Bernd Bauer hat den Raum verlassen",
    ]);
  });

  it("hides reactions, redaction events and unknown state", () => {
    const items = build([
      ev({ type: "m.reaction", content: { "m.relates_to": { rel_type: "m.annotation", event_id: "$x", key: "👍" } } }),
      ev({ type: "m.room.redaction", content: { redacts: "$x" } }),
      ev({ type: "im.vector.modular.widgets", stateKey: "jitsi", content: { type: "jitsi" } }),
      ev({ type: "m.room.power_levels", stateKey: "", content: {} }),
    ]);
    expect(items).toEqual([]);
  });

  it("turns files and images into attachments", () => {
    const items = build([
      ev({ content: { msgtype: "m.file", body: "plan.pdf", url: "mxc://stadtfunk.test/abc", info: { size: 1234, mimetype: "application/pdf" } } }),
      ev({ content: { msgtype: "m.image", body: "foto.png", url: "mxc://stadtfunk.test/def", info: { mimetype: "image/png" } } }),
      ev({ content: { msgtype: "m.file", body: "kaputt.pdf", url: "https://evil.example/x" } }),
    ]) as MessageItem[];
    expect(items[0]!.attachment).toEqual({ mxcUrl: "mxc://stadtfunk.test/abc", name: "plan.pdf", size: 1234, mimetype: "application/pdf", isImage: false });
    expect(items[1]!.attachment).toMatchObject({ isImage: true, name: "foto.png" });
    expect(items[2]!.attachment).toBeUndefined();
  });

  it("groups a sender's consecutive messages and starts a new day in Berlin time", () => {
    const lateEvening = Date.UTC(2026, 10, 26, 22, 59); // 23:59 in Berlin
    const items = build([
      text("eins", { ts: lateEvening - 60_000 }),
      text("zwei", { ts: lateEvening }),
      text("drei", { ts: lateEvening + 2 * 60_000 }), // 00:01 the next day
    ]) as MessageItem[];
    expect(items.map((i) => [i.startsDay, i.continuesSender])).toEqual([
      [true, false],
      [false, true],
      [true, false],
    ]);
  });

  it("marks local echoes as not editable and keeps their key once confirmed", () => {
    const [echo] = build([text("unterwegs", { id: "~!r:txn1", key: "txn1", sendStatus: "sending" })]) as [MessageItem];
    expect(echo).toMatchObject({ sendStatus: "sending", canEdit: false, key: "txn1" });
    const [sent] = build([text("unterwegs", { id: "$sent", key: "txn1" })]) as [MessageItem];
    expect(sent).toMatchObject({ id: "$sent", key: "txn1", canEdit: true });
    expect(build([text("fremd", { id: "$other" })])[0]!.key).toBe("$other");
  });

  it("leaves the quoted fallback of a reply out", () => {
    const [item] = build([
      text("> <@bernd.bauamt:stadtfunk.test> Frage?\n\nAntwort", {
        content: {
          msgtype: "m.text",
          body: "> <@bernd.bauamt:stadtfunk.test> Frage?\n\nAntwort",
          "m.relates_to": { "m.in_reply_to": { event_id: "$q" } },
        },
      }),
    ]) as [MessageItem];
    expect(item.body).toBe("Antwort");
  });

  it("tolerates malformed content", () => {
    const items = build([ev({ content: { msgtype: 5, body: { html: "<b>" } } })]) as MessageItem[];
    expect(items[0]).toMatchObject({ kind: "message", body: "", msgtype: "m.text" });
  });
});

describe("stripReplyFallback and previewText", () => {
  it("keeps bodies without a quote and drops a body that is only a quote", () => {
    expect(stripReplyFallback("normal")).toBe("normal");
    expect(stripReplyFallback("> nur ein Zitat")).toBe("");
  });

  it("shortens previews", () => {
    const [item] = build([text("x".repeat(300))]);
    expect(previewText(item!, 10)).toBe("xxxxxxxxx…");
  });
});
