import { isAppError } from "../../lib/errors";
import type { CommandLinkOutcome } from "../../lib/guests/guest-link-command";
import type { Logger } from "../../lib/log";
import type { BotMessenger } from "../shared/appservice";
import type { CommandContext } from "../shared/command-listener";
import { buildNotice, replyKey } from "../shared/replies";
import { guestLinkMessage, linkText, type Lang, type NoticeText } from "./command-texts";

export interface LinkCommandDeps {
  /** lib/guests/guest-link-command: checks the moderator on the homeserver, stores the hash, audits. */
  createLink(roomId: string, userId: string, label: string): Promise<CommandLinkOutcome>;
  /** The bot's private chat with the person (bots/shared/direct-rooms). */
  directRoom(userId: string): Promise<string>;
  messenger: Pick<BotMessenger, "send">;
  portalUrl: string;
  formatTime(date: Date, lang: Lang): string;
  logger: Logger;
}

/**
 * `!link [Bezeichnung]`: a guest link for this room, sent privately. The
 * secret never enters the room's history; the room only learns that a link
 * was sent. The private message goes out under a key derived from the
 * command event, so a redelivered command cannot send a second message.
 */
export async function runLinkCommand(ctx: CommandContext, lang: Lang, deps: LinkCommandDeps): Promise<NoticeText> {
  const sender = ctx.event.sender;
  const fields = { roomId: ctx.roomId, eventId: ctx.event.event_id, moderator: sender };
  try {
    const created = await deps.createLink(ctx.roomId, sender, ctx.command.args.join(" "));
    if (created.kind === "no-portal-account") return linkText(lang, { kind: "no-portal-account", portalUrl: deps.portalUrl });
    const chat = await deps.directRoom(sender);
    const message = guestLinkMessage(lang, {
      url: created.url,
      roomName: created.roomName,
      expiresAt: deps.formatTime(created.expiresAt, lang),
      maxUses: created.maxUses,
      manageUrl: `${deps.portalUrl}/rooms/${encodeURIComponent(ctx.roomId)}/gaeste`,
    });
    await deps.messenger.send(
      chat,
      buildNotice(message.body, message.html),
      `${replyKey(ctx.event.event_id)}:guest-link`,
    );
    deps.logger.info(fields, "guest link sent privately");
    return linkText(lang, { kind: "sent" });
  } catch (err) {
    if (isAppError(err) && err.category !== "unavailable") return linkText(lang, { kind: "refused", reason: err.userMessage });
    deps.logger.error({ ...fields, err, errorId: ctx.event.event_id }, "guest link by command failed");
    return linkText(lang, { kind: "failed", errorId: ctx.event.event_id });
  }
}
