import { z } from "zod";
import { allBotUserIds } from "../matrix/bot-users";
import { MatrixApiError, enc, matrixRequest } from "../matrix/client-api";

/**
 * The homeserver calls the cleanup needs. Deletion and erasure go through
 * Synapse's admin API (the separate admin token); the last activity in a
 * room is read as the service's bot through the client-server API. Holds no
 * state; each response is checked.
 */
export interface LifecycleHomeserverContext {
  homeserverUrl: string;
  adminToken: string;
  asToken: string;
  botUserId: string;
  fetchFn?: typeof fetch;
}

export type DeleteStatus = "scheduled" | "active" | "complete" | "failed";

export interface LifecycleHomeserver {
  /** v2 delete with purge; returns the homeserver's delete id. */
  requestRoomDeletion(roomId: string): Promise<string>;
  /** The status of a delete id; null when the homeserver no longer knows it (statuses die with a restart). */
  deleteStatus(deleteId: string): Promise<{ status: DeleteStatus; error?: string } | null>;
  /** The newest deletion of a room the homeserver knows about, if any. */
  latestDeleteStatusOfRoom(roomId: string): Promise<{ deleteId: string; status: DeleteStatus; error?: string } | null>;
  /** Does the admin API still know the room? */
  roomExists(roomId: string): Promise<boolean>;
  /** Deactivates the account and erases display name and avatar; repeatable. */
  deactivateAndErase(userId: string): Promise<void>;
  /** origin_server_ts of the newest event not sent by the service's bot; null when there is none. */
  lastActivityAt(roomId: string): Promise<Date | null>;
}

const deleteStatusValue = z.enum(["scheduled", "active", "complete", "failed"]);
const deleteStatusBody = z.looseObject({ status: deleteStatusValue, error: z.string().nullish() });

export function createLifecycleHomeserver(ctx: LifecycleHomeserverContext): LifecycleHomeserver {
  const admin = { homeserverUrl: ctx.homeserverUrl, accessToken: ctx.adminToken, fetchFn: ctx.fetchFn, timeoutMs: 30_000 };
  return {
    async requestRoomDeletion(roomId) {
      const r = await matrixRequest(
        // block: false: a room id is never reused, and blocking would keep a row per room for ever.
        { ...admin, method: "DELETE", path: `/_synapse/admin/v2/rooms/${enc(roomId)}`, body: { block: false, purge: true } },
        z.object({ delete_id: z.string() }),
      );
      return r.delete_id;
    },
    async deleteStatus(deleteId) {
      try {
        const r = await matrixRequest(
          { ...admin, method: "GET", path: `/_synapse/admin/v2/rooms/delete_status/${enc(deleteId)}` },
          deleteStatusBody,
        );
        return { status: r.status, ...(r.error ? { error: r.error } : {}) };
      } catch (err) {
        if (err instanceof MatrixApiError && err.status === 404) return null;
        throw err;
      }
    },
    async latestDeleteStatusOfRoom(roomId) {
      try {
        const r = await matrixRequest(
          { ...admin, method: "GET", path: `/_synapse/admin/v2/rooms/${enc(roomId)}/delete_status` },
          z.object({ results: z.array(deleteStatusBody.extend({ delete_id: z.string() })) }),
        );
        const last = r.results.at(-1);
        return last ? { deleteId: last.delete_id, status: last.status, ...(last.error ? { error: last.error } : {}) } : null;
      } catch (err) {
        if (err instanceof MatrixApiError && err.status === 404) return null;
        throw err;
      }
    },
    async roomExists(roomId) {
      try {
        await matrixRequest({ ...admin, method: "GET", path: `/_synapse/admin/v1/rooms/${enc(roomId)}` }, z.looseObject({}));
        return true;
      } catch (err) {
        if (err instanceof MatrixApiError && err.status === 404) return false;
        throw err;
      }
    },
    async deactivateAndErase(userId) {
      await matrixRequest(
        { ...admin, method: "POST", path: `/_synapse/admin/v1/deactivate/${enc(userId)}`, body: { erase: true } },
        z.looseObject({}),
      );
    },
    async lastActivityAt(roomId) {
      // The bots' notices (reminders, policy, invitations) are not activity of the room's people.
      const filter = enc(JSON.stringify({ not_senders: allBotUserIds(ctx.botUserId), limit: 1 }));
      const r = await matrixRequest(
        {
          homeserverUrl: ctx.homeserverUrl,
          accessToken: ctx.asToken,
          asUserId: ctx.botUserId,
          fetchFn: ctx.fetchFn,
          method: "GET",
          path: `/_matrix/client/v3/rooms/${enc(roomId)}/messages?dir=b&limit=1&filter=${filter}`,
        },
        z.object({ chunk: z.array(z.looseObject({ origin_server_ts: z.number() })) }),
      );
      const ts = r.chunk[0]?.origin_server_ts;
      return ts === undefined ? null : new Date(ts);
    },
  };
}
