import { describe, expect, it } from "vitest";
import { buildNotice, buildNoticeReply, escapeHtml, replyKey } from "./replies";

describe("replies", () => {
  it("escapes everything HTML could read as markup", () => {
    expect(escapeHtml(`<img src=x onerror="a('b')"> & co`)).toBe("&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt; &amp; co");
  });

  it("builds a plain notice, or one with a formatted body, that pings nobody", () => {
    expect(buildNotice("Hallo")).toEqual({ msgtype: "m.notice", body: "Hallo", "m.mentions": {} });
    expect(buildNotice("a<b", "a&lt;b")).toEqual({
      msgtype: "m.notice",
      body: "a<b",
      format: "org.matrix.custom.html",
      formatted_body: "a&lt;b",
      "m.mentions": {},
    });
  });

  it("replies to the command event, with one outbox key per command", () => {
    expect(buildNoticeReply("$cmd", "ok")).toMatchObject({ "m.relates_to": { "m.in_reply_to": { event_id: "$cmd" } } });
    expect(replyKey("$cmd")).toBe("reply:$cmd");
  });
});
