import type { Logger } from "../../lib/log";
import { parseCommand, type ParsedCommand } from "./command-parser";
import { checkTextMessage, type EventFilterContext, type TextMessageEvent } from "./event-filters";
import type { Schedule } from "./work-queue";

/** The slice of the Appservice's event emitter the bots listen on. */
export interface EventSource {
  on(name: string, listener: (roomId: string, event: unknown) => void): unknown;
  off(name: string, listener: (roomId: string, event: unknown) => void): unknown;
}

/** Without a queue, work runs detached (the SDK does not await listeners). */
export const runDetached: Schedule = (_roomId, task) => {
  void task();
};

export interface CommandContext {
  roomId: string;
  event: TextMessageEvent;
  command: ParsedCommand;
}

export type CommandHandler = (ctx: CommandContext) => Promise<void>;

export interface CommandListenerDeps {
  events: EventSource;
  filter: Omit<EventFilterContext, "now">;
  /** Only commands in rooms the bot has joined count; the service also sees rooms of other namespace users. */
  isInRoom: (roomId: string) => Promise<boolean>;
  handlers: ReadonlyMap<string, CommandHandler>;
  logger: Logger;
  /** Where handler work runs; the bots' room queue holds the transaction's acknowledgement until it is done. */
  schedule?: Schedule;
  now?: () => number;
}

/**
 * Filters, parses and dispatches commands. Failures are logged here with
 * the event id as the error id; nothing reaches the homeserver's answer.
 */
export function listenForCommands(deps: CommandListenerDeps): () => void {
  const { logger } = deps;
  const now = deps.now ?? Date.now;

  async function dispatch(raw: unknown): Promise<void> {
    const checked = checkTextMessage(raw, { ...deps.filter, now: now() });
    if (!checked.ok) {
      logger.debug({ reason: checked.reason, eventId: eventIdOf(raw) }, "event ignored");
      return;
    }
    const { event } = checked;
    const command = parseCommand(event.content.body);
    if (!command) return;
    const handler = deps.handlers.get(command.name);
    if (!handler) return; // another bot may own it
    if (!(await deps.isInRoom(event.room_id))) return;
    // Name only: arguments are message content and stay out of the log.
    logger.info({ eventId: event.event_id, roomId: event.room_id, command: command.name }, "command received");
    await handler({ roomId: event.room_id, event, command });
  }

  const schedule = deps.schedule ?? runDetached;
  const onMessage = (roomId: string, raw: unknown): void => {
    schedule(roomId, () =>
      dispatch(raw).catch((err: unknown) => {
        logger.error({ err, errorId: eventIdOf(raw) }, "command failed");
      }),
    );
  };
  deps.events.on("room.message", onMessage);
  return () => deps.events.off("room.message", onMessage);
}

function eventIdOf(raw: unknown): unknown {
  return typeof raw === "object" && raw !== null ? (raw as { event_id?: unknown }).event_id : undefined;
}
