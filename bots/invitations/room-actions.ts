import { z } from "zod";
import { MatrixApiError, enc, matrixRequest } from "../../lib/matrix/client-api";
import type { HomeserverConnection } from "../shared/homeserver";
import { withRetry } from "../shared/retry";

/**
 * The two calls the invitations bot needs beyond the shared BotClient:
 * removing someone (kick, which also withdraws an open invite) and reading
 * one event (what a membership was before a leave).
 */
export interface RoomActions {
  kick(roomId: string, userId: string, reason: string): Promise<void>;
  getEvent(roomId: string, eventId: string): Promise<Record<string, unknown> | null>;
}

export function roomActions(conn: HomeserverConnection, asUserId: string): RoomActions {
  const call = <T>(method: "GET" | "POST", path: string, schema: z.ZodType<T>, body?: unknown) =>
    withRetry(
      () =>
        matrixRequest(
          { homeserverUrl: conn.homeserverUrl, method, path, accessToken: conn.asToken, asUserId, body, fetchFn: conn.fetchFn, timeoutMs: conn.timeoutMs ?? 30_000 },
          schema,
        ),
      // A repeated kick of someone already gone fails with 403, which the caller avoids by reading membership first.
      { idempotent: true },
      conn.retry,
    );
  return {
    async kick(roomId, userId, reason) {
      await call("POST", `/_matrix/client/v3/rooms/${enc(roomId)}/kick`, z.looseObject({}), { user_id: userId, reason });
    },
    async getEvent(roomId, eventId) {
      try {
        return await call("GET", `/_matrix/client/v3/rooms/${enc(roomId)}/event/${enc(eventId)}`, z.record(z.string(), z.unknown()));
      } catch (err) {
        if (err instanceof MatrixApiError && (err.status === 404 || err.status === 403)) return null;
        throw err;
      }
    },
  };
}

/** Room actions as whichever user acts for the bot in that room (a module bot, or the main bot standing in). */
export function roomActionsActingAs(conn: HomeserverConnection, actingUserIn: (roomId: string) => Promise<string>): RoomActions {
  return {
    kick: async (roomId, userId, reason) => roomActions(conn, await actingUserIn(roomId)).kick(roomId, userId, reason),
    getEvent: async (roomId, eventId) => roomActions(conn, await actingUserIn(roomId)).getEvent(roomId, eventId),
  };
}
