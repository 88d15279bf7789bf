import { z } from "zod";
import type { AppConfig } from "../config/load";
import { botUserId } from "./appservice-registration";
import { enc, matrixRequest } from "./client-api";

/**
 * The homeserver calls behind directory spaces. The service account creates
 * the spaces, invites and removes people; the person joins with their own
 * Matrix session (a join is always the member's own act in Matrix).
 */
export interface DirectorySpaceHomeserver {
  createSpace(body: Record<string, unknown>): Promise<string>;
  invite(spaceRoomId: string, userId: string): Promise<void>;
  kick(spaceRoomId: string, userId: string, reason: string): Promise<void>;
  /** The membership the service sees for a user in a space ("join", "invite", …), or null. */
  membershipOf(spaceRoomId: string, userId: string): Promise<string | null>;
  joinAsPerson(accessToken: string, roomId: string): Promise<void>;
  joinedRoomsOf(accessToken: string): Promise<string[]>;
}

const anyObject = z.looseObject({});

export function createDirectorySpaceHomeserver(
  cfg: Pick<AppConfig, "appservice" | "matrix">,
  fetchFn?: typeof fetch,
): DirectorySpaceHomeserver {
  const homeserverUrl = cfg.matrix.homeserverUrl;
  const asService = { homeserverUrl, accessToken: cfg.appservice.asToken, asUserId: botUserId(cfg), fetchFn };
  return {
    async createSpace(body) {
      const r = await matrixRequest(
        { ...asService, method: "POST", path: "/_matrix/client/v3/createRoom", body, timeoutMs: 30_000 },
        z.object({ room_id: z.string() }),
      );
      return r.room_id;
    },
    async invite(spaceRoomId, userId) {
      await matrixRequest(
        { ...asService, method: "POST", path: `/_matrix/client/v3/rooms/${enc(spaceRoomId)}/invite`, body: { user_id: userId } },
        anyObject,
      );
    },
    async kick(spaceRoomId, userId, reason) {
      await matrixRequest(
        { ...asService, method: "POST", path: `/_matrix/client/v3/rooms/${enc(spaceRoomId)}/kick`, body: { user_id: userId, reason } },
        anyObject,
      );
    },
    async membershipOf(spaceRoomId, userId) {
      try {
        const content = await matrixRequest(
          { ...asService, method: "GET", path: `/_matrix/client/v3/rooms/${enc(spaceRoomId)}/state/m.room.member/${enc(userId)}` },
          z.looseObject({ membership: z.string().optional() }),
        );
        return content.membership ?? null;
      } catch (err) {
        if ((err as { status?: number }).status === 404) return null;
        throw err;
      }
    },
    async joinAsPerson(accessToken, roomId) {
      await matrixRequest({ homeserverUrl, accessToken, fetchFn, method: "POST", path: `/_matrix/client/v3/join/${enc(roomId)}`, body: {} }, anyObject);
    },
    async joinedRoomsOf(accessToken) {
      const r = await matrixRequest(
        { homeserverUrl, accessToken, fetchFn, method: "GET", path: "/_matrix/client/v3/joined_rooms" },
        z.object({ joined_rooms: z.array(z.string()) }),
      );
      return r.joined_rooms;
    },
  };
}
