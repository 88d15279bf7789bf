import type { BotMessenger } from "../shared/appservice";
import type { CommandContext } from "../shared/command-listener";
import { buildNoticeReply } from "../shared/replies";

export const PING_COMMAND = "ping";
export const PONG_TEXT = "Pong – Stadtfunk ist erreichbar.";

/** `!ping` → a notice replying to the command, so staff can see the bots are alive. */
export async function handlePingCommand(
  ctx: CommandContext,
  messenger: Pick<BotMessenger, "sendMessage">,
): Promise<void> {
  await messenger.sendMessage(ctx.roomId, buildNoticeReply(ctx.event.event_id, PONG_TEXT));
}
