import { z } from "zod";
import type { AppConfig } from "../config/load";
import { botUserId } from "./appservice-registration";
import { MatrixApiError, enc, matrixRequest } from "./client-api";

/**
 * The homeserver calls behind guest accounts. Guests are users of the
 * application service's exclusive namespace: the service registers them
 * without a password (`m.login.application_service`), acts for them with
 * `?user_id=` (exempt from rate limits), and the service's bot invites and
 * removes them. Deactivation needs the homeserver admin API.
 */
export interface GuestCredentials {
  userId: string;
  accessToken: string;
  deviceId: string;
}

export interface GuestAccounts {
  /** Creates the account and a device for the guest's browser; null when the account already exists. */
  register(localpart: string): Promise<GuestCredentials | null>;
  /** A new device and token for an existing account (repair after a lost registration answer). */
  login(localpart: string): Promise<GuestCredentials>;
  setDisplayName(userId: string, displayName: string): Promise<void>;
  /** The guest joins, acting through the service (the bot's invite must be pending). */
  join(roomId: string, userId: string): Promise<void>;
  /** The bot removes the guest; a guest who is not in the room is not an error. */
  kick(roomId: string, userId: string, reason: string): Promise<void>;
  /** Ends every session of the account for good (admin API); repeatable. */
  deactivate(userId: string): Promise<void>;
  /** Logs one token out (a device made by a losing concurrent repair). */
  logout(accessToken: string): Promise<void>;
  /** The bot posts an m.notice into the room (Element users see lobby requests this way). */
  /** `key` names the notice for good: sending it again (a retry) posts nothing new. */
  notice(roomId: string, body: string, key: string): Promise<void>;
}

export const GUEST_DEVICE_NAME = "Stadtfunk Gastzugang";

const credentials = z.object({ user_id: z.string(), access_token: z.string(), device_id: z.string() });

export function createGuestAccounts(
  cfg: Pick<AppConfig, "appservice" | "matrix">,
  fetchFn?: typeof fetch,
): GuestAccounts {
  const homeserverUrl = cfg.matrix.homeserverUrl;
  const asService = { homeserverUrl, accessToken: cfg.appservice.asToken, fetchFn };
  const serviceUserId = botUserId(cfg);
  const as = (path: string, userId: string) => `${path}${path.includes("?") ? "&" : "?"}user_id=${enc(userId)}`;
  const toCredentials = (r: z.infer<typeof credentials>): GuestCredentials => ({
    userId: r.user_id,
    accessToken: r.access_token,
    deviceId: r.device_id,
  });

  return {
    async register(localpart) {
      try {
        const r = await matrixRequest(
          {
            ...asService,
            method: "POST",
            path: "/_matrix/client/v3/register",
            body: { type: "m.login.application_service", username: localpart, initial_device_display_name: GUEST_DEVICE_NAME },
          },
          credentials,
        );
        return toCredentials(r);
      } catch (err) {
        if (err instanceof MatrixApiError && err.errcode === "M_USER_IN_USE") return null;
        throw err;
      }
    },
    async login(localpart) {
      const r = await matrixRequest(
        {
          ...asService,
          method: "POST",
          path: "/_matrix/client/v3/login",
          body: {
            type: "m.login.application_service",
            identifier: { type: "m.id.user", user: localpart },
            initial_device_display_name: GUEST_DEVICE_NAME,
          },
        },
        credentials,
      );
      return toCredentials(r);
    },
    async setDisplayName(userId, displayName) {
      await matrixRequest(
        {
          ...asService,
          method: "PUT",
          path: as(`/_matrix/client/v3/profile/${enc(userId)}/displayname`, userId),
          body: { displayname: displayName },
        },
        z.object({}).passthrough(),
      );
    },
    async join(roomId, userId) {
      await matrixRequest(
        { ...asService, method: "POST", path: as(`/_matrix/client/v3/join/${enc(roomId)}`, userId), body: {} },
        z.object({ room_id: z.string() }),
      );
    },
    async kick(roomId, userId, reason) {
      try {
        await matrixRequest(
          {
            ...asService,
            method: "POST",
            path: as(`/_matrix/client/v3/rooms/${enc(roomId)}/kick`, serviceUserId),
            body: { user_id: userId, reason },
          },
          z.object({}).passthrough(),
        );
      } catch (err) {
        // "The target user is not in the room": already gone, which is what was wanted.
        if (err instanceof MatrixApiError && err.status === 403) return;
        throw err;
      }
    },
    async deactivate(userId) {
      await matrixRequest(
        {
          homeserverUrl,
          fetchFn,
          method: "POST",
          path: `/_synapse/admin/v1/deactivate/${enc(userId)}`,
          accessToken: cfg.matrix.adminToken,
          // The lifecycle job erases later; until then the room history keeps the guest's name.
          body: { erase: false },
        },
        z.object({}).passthrough(),
      );
    },
    async notice(roomId, body, key) {
      // The homeserver answers a repeated transaction id of the same sender with the first event.
      const txnId = `guest-notice-${key}`;
      await matrixRequest(
        {
          ...asService,
          method: "PUT",
          path: as(`/_matrix/client/v3/rooms/${enc(roomId)}/send/m.room.message/${enc(txnId)}`, serviceUserId),
          body: { msgtype: "m.notice", body },
        },
        z.object({ event_id: z.string() }),
      );
    },
    async logout(accessToken) {
      await matrixRequest(
        { homeserverUrl, fetchFn, method: "POST", path: "/_matrix/client/v3/logout", accessToken, body: {} },
        z.object({}).passthrough(),
      );
    },
  };
}
