import type { Logger } from "../../lib/log";
import type { BotMessenger } from "../shared/appservice";
import { listenForCommands, type EventSource } from "../shared/command-listener";
import type { EventFilterContext } from "../shared/event-filters";
import type { Schedule } from "../shared/work-queue";
import { handlePingCommand, PING_COMMAND } from "./ping-command";

export interface PingBotDeps {
  events: EventSource;
  messenger: BotMessenger;
  filter: Omit<EventFilterContext, "now">;
  logger: Logger;
  schedule?: Schedule;
  now?: () => number;
}

/** Answers `!ping` as the given bot. Returns a function that stops listening. */
export function start(deps: PingBotDeps): () => void {
  const { messenger } = deps;
  return listenForCommands({
    events: deps.events,
    filter: deps.filter,
    isInRoom: (roomId) => messenger.isInRoom(roomId),
    handlers: new Map([[PING_COMMAND, (ctx) => handlePingCommand(ctx, messenger)]]),
    logger: deps.logger.child({ bot: "ping" }),
    schedule: deps.schedule,
    now: deps.now,
  });
}
