import type { Logger } from "../../lib/log";
import { POLICED_STATE_TYPES } from "../../lib/policy/room-policy";
import type { EventSource } from "../shared/command-listener";
import { checkRoomEvent, type EventFilterContext } from "../shared/event-filters";
import type { ManagedRooms } from "../shared/managed-rooms";
import type { RoomWorkQueue } from "../shared/work-queue";
import { enforceRoomPolicy, type EnforceDeps } from "./enforce-room-policy";

export interface PolicyBotDeps extends EnforceDeps {
  events: EventSource;
  managedRooms: ManagedRooms;
  /** isOwnUser must be true for the bots only: a guest's state change is judged like anyone's. */
  filter: Omit<EventFilterContext, "now">;
  queue: RoomWorkQueue;
  now?: () => number;
}

export interface PolicyBot {
  stop(): void;
  /** Looks at every managed room once (after a start: changes made while the bots were down). */
  sweep(): Promise<void>;
}

/**
 * "Stadtfunk Regeln": keeps managed rooms within the usage rules. A state
 * change to power levels, join rules or widgets by anyone but the bots makes
 * it judge the room's current state and restore what was broken.
 */
export function start(deps: PolicyBotDeps): PolicyBot {
  const logger = deps.logger.child({ bot: "policy", ...(deps.isDryRun ? { dryRun: true } : {}) });
  const enforceDeps: EnforceDeps = { ...deps, logger };
  const now = deps.now ?? Date.now;
  let isStopped = false;

  async function onStateChange(raw: unknown): Promise<void> {
    const checked = checkRoomEvent(raw, { ...deps.filter, now: now() });
    if (!checked.ok) return;
    const { event } = checked;
    const stateKey = (raw as { state_key?: unknown }).state_key;
    if (typeof stateKey !== "string" || !POLICED_STATE_TYPES.includes(event.type)) return;
    if (!(await deps.managedRooms.isManaged(event.room_id))) return;
    await enforceRoomPolicy(enforceDeps, event.room_id, event.event_id);
  }

  const onEvent = (roomId: string, raw: unknown): void => {
    deps.queue.schedule(roomId, () =>
      onStateChange(raw).catch((err: unknown) => {
        const errorId = (raw as { event_id?: unknown } | null)?.event_id;
        logger.error({ err, roomId, errorId }, "policy enforcement failed");
      }),
    );
  };
  deps.events.on("room.event", onEvent);

  async function sweep(): Promise<void> {
    const roomIds = await deps.managedRooms.listActive();
    let restored = 0;
    for (const roomId of roomIds) {
      if (isStopped) return;
      await deps.queue.run(
        roomId,
        async () => {
          restored += (await enforceRoomPolicy(enforceDeps, roomId, "start-up")).length;
        },
        { tracked: false },
      );
    }
    logger.info({ rooms: roomIds.length, enforcements: restored }, "policy sweep of managed rooms done");
  }

  return {
    stop() {
      isStopped = true;
      deps.events.off("room.event", onEvent);
    },
    sweep,
  };
}
