import { z } from "zod";
import {
  activeManagedRoomIds,
  applyRoomFederation,
  latestFederationChange,
  processFederationChanges,
  type AclSyncDeps,
  type FederationRoomClient,
} from "../../lib/federation/acl-sync";
import { enc, matrixRequest } from "../../lib/matrix/client-api";
import type { EventSource } from "../shared/command-listener";
import type { BotClient, HomeserverConnection } from "../shared/homeserver";
import type { ManagedRooms } from "../shared/managed-rooms";
import { withRetry } from "../shared/retry";
import type { RoomWorkQueue } from "../shared/work-queue";

/**
 * The policy bot's federation part: every managed room's `m.room.server_acl`
 * is exactly our server plus the approved partners opened there, and users
 * of other servers are removed. It re-applies when the partners change (the
 * portal records each change in `federation_changes`, read here every few
 * seconds), when anyone but the bot edits a room's ACL, and once after a start.
 */

export interface FederationKeeperDeps extends AclSyncDeps {
  events: EventSource;
  managedRooms: ManagedRooms;
  /** The bots' own accounts: their ACL writes need no second look. */
  isBotUser: (userId: string) => boolean;
  queue: RoomWorkQueue;
  pollMs?: number;
}

export interface FederationKeeper {
  /** Every managed room once (after a start); changes recorded meanwhile follow with the next poll. */
  sweep(): Promise<void>;
  /** Applies the recorded changes not applied yet; returns how many rooms it looked at. */
  poll(): Promise<number>;
  stop(): void;
}

const stateEvent = z.looseObject({ type: z.string(), state_key: z.string(), sender: z.string(), room_id: z.string() });

/** The bot client plus the kick the federation keeper needs. */
export function federationRoomClient(conn: HomeserverConnection, client: BotClient): FederationRoomClient {
  return {
    userId: client.userId,
    getState: (roomId) => client.getState(roomId),
    sendState: (roomId, type, stateKey, content) => client.sendState(roomId, type, stateKey, content),
    async kick(roomId, userId, reason) {
      const once = () =>
        matrixRequest(
          {
            homeserverUrl: conn.homeserverUrl,
            method: "POST",
            path: `/_matrix/client/v3/rooms/${enc(roomId)}/kick`,
            accessToken: conn.asToken,
            asUserId: client.userId,
            body: { user_id: userId, reason },
            fetchFn: conn.fetchFn,
            timeoutMs: conn.timeoutMs ?? 30_000,
          },
          z.looseObject({}),
        );
      // A repeated kick of someone already gone changes nothing.
      await withRetry(once, { idempotent: true }, conn.retry);
    },
  };
}

export function startFederationKeeper(deps: FederationKeeperDeps): FederationKeeper {
  const logger = deps.logger.child({ bot: "policy", part: "federation" });
  const syncDeps: AclSyncDeps = { ...deps, logger };
  // Changes recorded from now on are applied; the start-up sweep covers what came before.
  let initialCursor = latestFederationChange(deps.db);
  initialCursor.catch(() => {});
  let cursor: number | null = null;
  let isStopped = false;
  let polling: Promise<number> | null = null;

  const onEvent = (roomId: string, raw: unknown): void => {
    const parsed = stateEvent.safeParse(raw);
    if (!parsed.success || parsed.data.type !== "m.room.server_acl" || parsed.data.state_key !== "") return;
    if (deps.isBotUser(parsed.data.sender)) return;
    deps.queue.schedule(roomId, async () => {
      if (!(await deps.managedRooms.isManaged(roomId))) return;
      await applyRoomFederation(syncDeps, roomId, `acl-edited-by:${parsed.data.sender}`);
    });
  };
  deps.events.on("room.event", onEvent);

  async function sweep(): Promise<void> {
    for (const roomId of await activeManagedRoomIds(deps.db)) {
      if (isStopped) return;
      await deps.queue.run(roomId, async () => void (await applyRoomFederation(syncDeps, roomId, "start-up")), { tracked: false });
    }
  }

  async function pollOnce(): Promise<number> {
    if (cursor === null) {
      try {
        cursor = await initialCursor;
      } catch (err) {
        // The database was not there at start: ask again at the next poll.
        initialCursor = latestFederationChange(deps.db);
        initialCursor.catch(() => {});
        throw err;
      }
    }
    const { lastId, rooms } = await processFederationChanges(syncDeps, cursor);
    cursor = lastId;
    return rooms.length;
  }

  function poll(): Promise<number> {
    polling ??= pollOnce().finally(() => (polling = null));
    return polling;
  }

  const timer = setInterval(() => {
    if (!isStopped) poll().catch((err: unknown) => logger.error({ err }, "federation changes not applied yet"));
  }, deps.pollMs ?? 2_000);
  timer.unref();

  return {
    sweep,
    poll,
    stop() {
      isStopped = true;
      clearInterval(timer);
      deps.events.off("room.event", onEvent);
    },
  };
}
