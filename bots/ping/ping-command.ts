import type { BotMessenger } from "../shared/appservice";
import type { CommandContext } from "../shared/command-listener";
import { buildNoticeReply, replyKey } from "../shared/replies";

export const PING_COMMAND = "ping";
export const PONG_TEXT = "Pong – Stadtfunk ist erreichbar.";

/** `!ping` → a notice replying to the command, so staff can see the bots are alive. */
export async function handlePingCommand(ctx: CommandContext, messenger: Pick<BotMessenger, "send">): Promise<void> {
  await messenger.send(ctx.roomId, buildNoticeReply(ctx.event.event_id, PONG_TEXT), replyKey(ctx.event.event_id));
}
