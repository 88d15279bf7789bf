import { z } from "zod";
import { MatrixApiError, enc, matrixRequest } from "./client-api";

/**
 * Synapse admin API calls the portal needs for identity (one function per
 * endpoint, each response checked). Holds no state; the token is passed in.
 */
export interface AdminContext {
  homeserverUrl: string;
  adminToken: string;
  fetchFn?: typeof fetch;
}

/** The Matrix account Synapse linked to an SSO subject, or null if none yet. */
export async function userIdForExternalId(ctx: AdminContext, authProvider: string, externalId: string): Promise<string | null> {
  try {
    const r = await matrixRequest(
      {
        ...ctx,
        method: "GET",
        path: `/_synapse/admin/v1/auth_providers/${enc(authProvider)}/users/${enc(externalId)}`,
        accessToken: ctx.adminToken,
      },
      z.object({ user_id: z.string() }),
    );
    return r.user_id;
  } catch (err) {
    if (err instanceof MatrixApiError && err.status === 404) return null;
    throw err;
  }
}

/** Deletes and purges a room (admin API v2); used to discard a room that could not be completed. */
export async function deleteRoom(ctx: AdminContext, roomId: string): Promise<string> {
  const r = await matrixRequest(
    {
      ...ctx,
      method: "DELETE",
      path: `/_synapse/admin/v2/rooms/${enc(roomId)}`,
      accessToken: ctx.adminToken,
      body: { block: false, purge: true },
    },
    z.object({ delete_id: z.string() }),
  );
  return r.delete_id;
}
