import { z } from "zod";
import type { AppConfig } from "../config/load";
import { botUserId } from "./appservice-registration";
import { enc, matrixRequest } from "./client-api";

/**
 * The service's own Matrix identity (the application service's bot): it
 * creates managed rooms, so it - never a person - is their creator, and it
 * reads room state to authorise portal actions. Exempt from rate limits.
 */
export interface ServiceClient {
  userId: string;
  createRoom(body: Record<string, unknown>): Promise<string>;
  sendState(roomId: string, type: string, stateKey: string, content: unknown): Promise<string>;
  getState(roomId: string): Promise<StateEvent[]>;
  getStateEvent(roomId: string, type: string, stateKey: string): Promise<Record<string, unknown> | null>;
  invite(roomId: string, userId: string): Promise<void>;
}

/** A room state event as every reader here needs it (client API and admin API alike). */
export const stateEventSchema = z.looseObject({
  type: z.string(),
  state_key: z.string(),
  sender: z.string(),
  event_id: z.string().optional(),
  content: z.record(z.string(), z.unknown()),
});
export type StateEvent = z.infer<typeof stateEventSchema>;

export function createServiceClient(
  cfg: Pick<AppConfig, "appservice" | "matrix">,
  fetchFn?: typeof fetch,
): ServiceClient {
  const userId = botUserId(cfg);
  const base = { homeserverUrl: cfg.matrix.homeserverUrl, accessToken: cfg.appservice.asToken, asUserId: userId, fetchFn };
  return {
    userId,
    async createRoom(body) {
      const r = await matrixRequest(
        { ...base, method: "POST", path: "/_matrix/client/v3/createRoom", body, timeoutMs: 30_000 },
        z.object({ room_id: z.string() }),
      );
      return r.room_id;
    },
    async sendState(roomId, type, stateKey, content) {
      const r = await matrixRequest(
        {
          ...base,
          method: "PUT",
          path: `/_matrix/client/v3/rooms/${enc(roomId)}/state/${enc(type)}/${enc(stateKey)}`,
          body: content,
        },
        z.object({ event_id: z.string() }),
      );
      return r.event_id;
    },
    getState(roomId) {
      return matrixRequest(
        { ...base, method: "GET", path: `/_matrix/client/v3/rooms/${enc(roomId)}/state` },
        z.array(stateEventSchema),
      );
    },
    async invite(roomId, inviteeId) {
      await matrixRequest(
        {
          ...base,
          method: "POST",
          path: `/_matrix/client/v3/rooms/${enc(roomId)}/invite`,
          body: { user_id: inviteeId },
        },
        z.object({}).passthrough(),
      );
    },
    async getStateEvent(roomId, type, stateKey) {
      try {
        return await matrixRequest(
          {
            ...base,
            method: "GET",
            path: `/_matrix/client/v3/rooms/${enc(roomId)}/state/${enc(type)}/${enc(stateKey)}`,
          },
          z.record(z.string(), z.unknown()),
        );
      } catch (err) {
        if ((err as { status?: number }).status === 404) return null;
        throw err;
      }
    },
  };
}
