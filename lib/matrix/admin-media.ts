import { z } from "zod";
import { MatrixApiError, enc, matrixRequest } from "./client-api";
import type { AdminContext } from "./admin-users";

/**
 * Removing a file from the homeserver's media store. A redaction hides the
 * message but leaves the file downloadable, so a disallowed upload is deleted
 * here too. Needs the homeserver admin token: only this lifecycle component
 * holds it, never the bot users.
 */

/** The parts of an `mxc://server/mediaId` URI, or null for anything else. */
export function parseMxc(uri: unknown): { server: string; mediaId: string } | null {
  if (typeof uri !== "string") return null;
  const m = /^mxc:\/\/([A-Za-z0-9.:[\]-]+)\/([A-Za-z0-9_-]+)$/.exec(uri);
  return m ? { server: m[1]!, mediaId: m[2]! } : null;
}

/** Deletes one local media item; true when it was deleted, false when the homeserver no longer has it. */
export async function deleteLocalMedia(ctx: AdminContext, serverName: string, mediaId: string): Promise<boolean> {
  try {
    const r = await matrixRequest(
      {
        ...ctx,
        method: "DELETE",
        path: `/_synapse/admin/v1/media/${enc(serverName)}/${enc(mediaId)}`,
        accessToken: ctx.adminToken,
      },
      z.object({ deleted_media: z.array(z.string()), total: z.number() }),
    );
    return r.total > 0;
  } catch (err) {
    if (err instanceof MatrixApiError && err.status === 404) return false;
    throw err;
  }
}
