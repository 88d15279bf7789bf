import type { Logger } from "../../lib/log";
import type { InviteRules } from "../../lib/policy/invitations";
import type { RoomAccess } from "../../lib/rooms/room-access";
import type { BotMessenger } from "../shared/appservice";
import { listenForCommands, type CommandContext, type CommandHandler, type EventSource } from "../shared/command-listener";
import type { EventFilterContext } from "../shared/event-filters";
import type { BotClient } from "../shared/homeserver";
import type { ManagedRooms } from "../shared/managed-rooms";
import { buildNoticeReply, replyKey } from "../shared/replies";
import type { Schedule } from "../shared/work-queue";
import { helpText, notModeratorText, type Lang, type NoticeText } from "./command-texts";
import { runInviteCommand } from "./invite-command";
import { runLinkCommand, type LinkCommandDeps } from "./link-command";

/** The commands moderators use in managed rooms, German and English. */
export const ROOM_COMMANDS = {
  einladen: { action: "invite", lang: "de" },
  invite: { action: "invite", lang: "en" },
  hilfe: { action: "help", lang: "de" },
  help: { action: "help", lang: "en" },
  link: { action: "link", lang: "de" },
  gastlink: { action: "link", lang: "de" },
  guestlink: { action: "link", lang: "en" },
} as const satisfies Record<string, { action: string; lang: Lang }>;

type Action = (typeof ROOM_COMMANDS)[keyof typeof ROOM_COMMANDS]["action"];

export interface RoomCommandDeps {
  events: EventSource;
  messenger: BotMessenger;
  client: Pick<BotClient, "invite" | "userExists">;
  managedRooms: Pick<ManagedRooms, "isManaged">;
  /** Membership and power from the homeserver (lib/rooms/room-access), as the portal reads them. */
  readAccess: (roomId: string, userId: string) => Promise<RoomAccess>;
  inviteRules: InviteRules;
  /** `!link`: guest links sent privately; messenger and logger are this module's own. */
  guestLinks: Omit<LinkCommandDeps, "messenger" | "logger">;
  filter: Omit<EventFilterContext, "now">;
  logger: Logger;
  schedule?: Schedule;
  now?: () => number;
}

/**
 * Answers room commands in managed rooms, for moderators only (power at
 * least the room's kick level). Everyone else is told why not; rooms the
 * service does not manage get no answer at all.
 */
export function start(deps: RoomCommandDeps): () => void {
  const logger = deps.logger.child({ bot: "room-commands" });

  async function answer(ctx: CommandContext, action: Action, lang: Lang, access: RoomAccess): Promise<NoticeText> {
    switch (action) {
      case "help":
        return helpText(lang, deps.inviteRules.serverName);
      case "link":
        return runLinkCommand(ctx, lang, { ...deps.guestLinks, messenger: deps.messenger, logger });
      case "invite":
        return runInviteCommand(ctx, access, lang, { client: deps.client, rules: deps.inviteRules, logger });
    }
  }

  function handlerFor(action: Action, lang: Lang): CommandHandler {
    return async (ctx) => {
      if (!(await deps.managedRooms.isManaged(ctx.roomId))) {
        logger.debug({ roomId: ctx.roomId, eventId: ctx.event.event_id }, "command outside a managed room ignored");
        return;
      }
      const access = await deps.readAccess(ctx.roomId, ctx.event.sender);
      const reply = access.isModerator ? await answer(ctx, action, lang, access) : notModeratorText(lang);
      if (!access.isModerator) logger.info({ roomId: ctx.roomId, eventId: ctx.event.event_id, action }, "command refused: not a moderator");
      const content = buildNoticeReply(ctx.event.event_id, reply.body, reply.html);
      await deps.messenger.send(ctx.roomId, content, replyKey(ctx.event.event_id));
    };
  }

  const handlers = new Map<string, CommandHandler>(
    Object.entries(ROOM_COMMANDS).map(([name, { action, lang }]) => [name, handlerFor(action, lang)]),
  );
  return listenForCommands({
    events: deps.events,
    filter: deps.filter,
    isInRoom: (roomId) => deps.messenger.isInRoom(roomId),
    handlers,
    logger,
    schedule: deps.schedule,
    now: deps.now,
  });
}
