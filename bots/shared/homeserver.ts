import { z } from "zod";
import { MatrixApiError, enc, matrixRequest } from "../../lib/matrix/client-api";
import { stateEventSchema, type ServiceClient, type StateEvent } from "../../lib/matrix/service-client";
import { withRetry, type RetryOptions } from "./retry";

/**
 * The client-server calls the bots make, as one of the service's users
 * (`?user_id=` with the application service's token). Every call goes
 * through withRetry; only calls that cannot duplicate an effect are repeated
 * after a lost answer. Paths are URL-encoded segment by segment.
 */

/** The homeserver's error answer (status, errcode, requested wait), as every caller sees it. */
export { MatrixApiError as HomeserverError };

export interface HomeserverConnection {
  homeserverUrl: string;
  asToken: string;
  fetchFn?: typeof fetch;
  retry?: RetryOptions;
  timeoutMs?: number;
}

export type RoomStateEvent = StateEvent;

/** What a bot does on the homeserver, as its own user. */
export interface BotClient {
  userId: string;
  /** PUT /send with the caller's transaction id: repeating it yields the same event. */
  sendEvent(roomId: string, eventType: string, txnId: string, content: Record<string, unknown>): Promise<string>;
  sendState(roomId: string, eventType: string, stateKey: string, content: Record<string, unknown>): Promise<string>;
  getState(roomId: string): Promise<RoomStateEvent[]>;
  invite(roomId: string, userId: string): Promise<void>;
  joinRoom(roomId: string): Promise<void>;
  createRoom(body: Record<string, unknown>): Promise<string>;
  /** False for an unknown account; true when the homeserver will not say. */
  userExists(userId: string): Promise<boolean>;
  /** The bot's own account data of one type (e.g. `m.direct`); null when never set. */
  getAccountData(type: string): Promise<Record<string, unknown> | null>;
  setAccountData(type: string, content: Record<string, unknown>): Promise<void>;
}

const eventIdBody = z.object({ event_id: z.string() });

export function createBotClient(conn: HomeserverConnection, userId: string): BotClient {
  async function request<T>(
    method: "GET" | "POST" | "PUT",
    path: string,
    schema: z.ZodType<T>,
    opts: { body?: unknown; idempotent: boolean },
  ): Promise<T> {
    const once = () =>
      matrixRequest(
        {
          homeserverUrl: conn.homeserverUrl,
          method,
          path,
          accessToken: conn.asToken,
          asUserId: userId,
          body: opts.body,
          fetchFn: conn.fetchFn,
          timeoutMs: conn.timeoutMs ?? 30_000,
        },
        schema,
      );
    return withRetry(once, { idempotent: opts.idempotent }, conn.retry);
  }

  const room = (roomId: string) => `/_matrix/client/v3/rooms/${enc(roomId)}`;
  const accountData = (type: string) => `/_matrix/client/v3/user/${enc(userId)}/account_data/${enc(type)}`;
  return {
    userId,
    async sendEvent(roomId, eventType, txnId, content) {
      const path = `${room(roomId)}/send/${enc(eventType)}/${enc(txnId)}`;
      return (await request("PUT", path, eventIdBody, { body: content, idempotent: true })).event_id;
    },
    async sendState(roomId, eventType, stateKey, content) {
      // Identical content is answered with the existing event, so a repeat adds nothing.
      const path = `${room(roomId)}/state/${enc(eventType)}/${enc(stateKey)}`;
      return (await request("PUT", path, eventIdBody, { body: content, idempotent: true })).event_id;
    },
    getState(roomId) {
      return request("GET", `${room(roomId)}/state`, z.array(stateEventSchema), { idempotent: true });
    },
    async invite(roomId, invitee) {
      // Synapse answers a repeated identical invite with the existing event.
      await request("POST", `${room(roomId)}/invite`, z.looseObject({}), { body: { user_id: invitee }, idempotent: true });
    },
    async joinRoom(roomId) {
      await request("POST", `/_matrix/client/v3/join/${enc(roomId)}`, z.looseObject({}), { body: {}, idempotent: true });
    },
    async createRoom(body) {
      const r = await request("POST", "/_matrix/client/v3/createRoom", z.object({ room_id: z.string() }), { body, idempotent: false });
      return r.room_id;
    },
    async userExists(target) {
      try {
        await request("GET", `/_matrix/client/v3/profile/${enc(target)}`, z.looseObject({}), { idempotent: true });
        return true;
      } catch (err) {
        if (err instanceof MatrixApiError && err.status === 404) return false;
        if (err instanceof MatrixApiError && err.status === 403) return true;
        throw err;
      }
    },
    async getAccountData(type) {
      try {
        return await request("GET", accountData(type), z.record(z.string(), z.unknown()), { idempotent: true });
      } catch (err) {
        if (err instanceof MatrixApiError && err.status === 404) return null;
        throw err;
      }
    },
    async setAccountData(type, content) {
      await request("PUT", accountData(type), z.looseObject({}), { body: content, idempotent: true });
    },
  };
}

/** The portal's ServiceClient on top of a bot client, so bots call the same lib functions as the portal. */
export function asServiceClient(client: BotClient): ServiceClient {
  return {
    userId: client.userId,
    createRoom: (body) => client.createRoom(body),
    sendState: (roomId, type, stateKey, content) => client.sendState(roomId, type, stateKey, content as Record<string, unknown>),
    getState: (roomId) => client.getState(roomId),
    async getStateEvent(roomId, type, stateKey) {
      const found = (await client.getState(roomId)).find((e) => e.type === type && e.state_key === stateKey);
      return found?.content ?? null;
    },
    invite: (roomId, userId) => client.invite(roomId, userId),
  };
}
