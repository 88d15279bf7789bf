import { stateEventSchema, type StateEvent } from "./service-client";
import { z } from "zod";
import type { AdminContext } from "./admin-users";
import { MatrixApiError, enc, matrixRequest, type MatrixRequest } from "./client-api";

/**
 * Synapse admin API calls for leavers: lock the account, end every device,
 * and hand rooms over. One function per endpoint, each response checked,
 * every path segment URL-encoded. The token is passed in; nothing is kept.
 */

function adminCall<T>(
  ctx: AdminContext,
  method: MatrixRequest["method"],
  path: string,
  schema: z.ZodType<T>,
  body?: unknown,
): Promise<T> {
  return matrixRequest(
    { homeserverUrl: ctx.homeserverUrl, fetchFn: ctx.fetchFn, method, path, accessToken: ctx.adminToken, body },
    schema,
  );
}

const accountSchema = z.looseObject({
  name: z.string(),
  locked: z.boolean().optional(),
  deactivated: z.boolean().optional(),
});
export type MatrixAccount = { userId: string; locked: boolean; deactivated: boolean };

/** `GET /_synapse/admin/v2/users/<id>`: the account's state, or null if the homeserver has no such user. */
export async function getAccount(ctx: AdminContext, userId: string): Promise<MatrixAccount | null> {
  try {
    const a = await adminCall(ctx, "GET", `/_synapse/admin/v2/users/${enc(userId)}`, accountSchema);
    return { userId: a.name, locked: a.locked === true, deactivated: a.deactivated === true };
  } catch (err) {
    if (err instanceof MatrixApiError && err.status === 404) return null;
    throw err;
  }
}

/**
 * `PUT /_synapse/admin/v2/users/<id>` with only `locked`: a locked account
 * cannot log in (`M_USER_LOCKED`) and its remaining tokens are refused.
 * The same endpoint creates missing accounts, so callers check getAccount first.
 */
export async function setAccountLocked(ctx: AdminContext, userId: string, locked: boolean): Promise<void> {
  await adminCall(ctx, "PUT", `/_synapse/admin/v2/users/${enc(userId)}`, accountSchema, { locked });
}

const devicesSchema = z.object({
  devices: z.array(z.looseObject({ device_id: z.string(), display_name: z.string().nullish() })),
});

/** `GET /_synapse/admin/v2/users/<id>/devices`: every device, Element's and the portal's alike. */
export async function listDevices(ctx: AdminContext, userId: string): Promise<{ deviceId: string; displayName: string | null }[]> {
  const r = await adminCall(ctx, "GET", `/_synapse/admin/v2/users/${enc(userId)}/devices`, devicesSchema);
  return r.devices.map((d) => ({ deviceId: d.device_id, displayName: d.display_name ?? null }));
}

/** `POST /_synapse/admin/v2/users/<id>/delete_devices`: ends the devices and their access tokens. */
export async function deleteDevices(ctx: AdminContext, userId: string, deviceIds: readonly string[]): Promise<void> {
  if (deviceIds.length === 0) return;
  await adminCall(ctx, "POST", `/_synapse/admin/v2/users/${enc(userId)}/delete_devices`, z.looseObject({}), {
    devices: deviceIds,
  });
}

/** `GET /_synapse/admin/v1/users/<id>/joined_rooms`. */
export async function joinedRooms(ctx: AdminContext, userId: string): Promise<string[]> {
  const r = await adminCall(
    ctx,
    "GET",
    `/_synapse/admin/v1/users/${enc(userId)}/joined_rooms`,
    z.object({ joined_rooms: z.array(z.string()) }),
  );
  return r.joined_rooms;
}

export type RoomStateEvent = StateEvent;

/** `GET /_synapse/admin/v1/rooms/<id>/state`: the room's current state, members included. */
export async function roomState(ctx: AdminContext, roomId: string): Promise<RoomStateEvent[]> {
  const r = await adminCall(
    ctx,
    "GET",
    `/_synapse/admin/v1/rooms/${enc(roomId)}/state`,
    z.object({ state: z.array(stateEventSchema) }),
  );
  return r.state;
}

/**
 * `POST /_synapse/admin/v1/rooms/<id>/make_room_admin`: Synapse has the
 * room's most powerful joined local user grant `userId` the same level (100
 * under a room-v12 creator) and invites them into a private room.
 */
export async function makeRoomAdmin(ctx: AdminContext, roomId: string, userId: string): Promise<void> {
  await adminCall(ctx, "POST", `/_synapse/admin/v1/rooms/${enc(roomId)}/make_room_admin`, z.looseObject({}), {
    user_id: userId,
  });
}
