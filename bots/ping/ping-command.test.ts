import { describe, expect, it } from "vitest";
import type { MessageContent } from "../shared/replies";
import { handlePingCommand, PONG_TEXT } from "./ping-command";

describe("handlePingCommand", () => {
  it("answers with a notice that replies to the command, keyed to the command event", async () => {
    const sent: [string, MessageContent, string][] = [];
    const messenger = {
      send: async (roomId: string, content: MessageContent, key: string) => {
        sent.push([roomId, content, key]);
        return "$pong";
      },
    };
    const event = {
      type: "m.room.message" as const,
      event_id: "$cmd",
      room_id: "!room:stadt.test",
      sender: "@anna:stadt.test",
      origin_server_ts: 1,
      content: { msgtype: "m.text" as const, body: "!ping" },
    };
    await handlePingCommand({ roomId: "!room:stadt.test", event, command: { name: "ping", args: [] } }, messenger);
    expect(sent).toEqual([
      [
        "!room:stadt.test",
        {
          msgtype: "m.notice",
          body: PONG_TEXT,
          "m.relates_to": { "m.in_reply_to": { event_id: "$cmd" } },
          "m.mentions": {},
        },
        "reply:$cmd",
      ],
    ]);
    expect(PONG_TEXT).toMatch(/^Pong/);
  });
});
