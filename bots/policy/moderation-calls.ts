import { z } from "zod";
import { MatrixApiError, enc, matrixRequest } from "../../lib/matrix/client-api";
import type { HomeserverConnection } from "../shared/homeserver";
import { withRetry } from "../shared/retry";

/**
 * The two homeserver calls only the policy bot makes, as its own user:
 * reading an uploaded file through the authenticated media API, and
 * redacting an event. Both are safe to repeat.
 */

export interface DownloadedHead {
  /** The first bytes, for sniffing. */
  head: Uint8Array;
  /** Bytes read; stops one past the limit, so it is exact up to `limitBytes`. */
  size: number;
  isTooLarge: boolean;
}

/**
 * Streams the file and keeps only its head: a huge upload is never held in
 * memory, and reading stops as soon as it is over the size limit.
 */
export async function downloadHead(
  conn: HomeserverConnection,
  asUserId: string,
  media: { server: string; mediaId: string },
  opts: { headBytes: number; limitBytes: number },
): Promise<DownloadedHead> {
  const once = async (): Promise<DownloadedHead> => {
    const url = `${conn.homeserverUrl}/_matrix/client/v1/media/download/${enc(media.server)}/${enc(media.mediaId)}?user_id=${enc(asUserId)}`;
    const res = await (conn.fetchFn ?? fetch)(url, {
      headers: { Authorization: `Bearer ${conn.asToken}` },
      redirect: "manual",
      signal: AbortSignal.timeout(conn.timeoutMs ?? 60_000),
    });
    if (!res.ok || !res.body) {
      const body: unknown = await res.json().catch(() => ({}));
      const errcode = (body as { errcode?: unknown }).errcode;
      throw new MatrixApiError(res.status, typeof errcode === "string" ? errcode : `HTTP_${res.status}`, `GET media download: ${res.status}`);
    }
    const chunks: Uint8Array[] = [];
    let kept = 0;
    let size = 0;
    const reader = res.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (kept < opts.headBytes) {
          const part = value.subarray(0, opts.headBytes - kept);
          chunks.push(part);
          kept += part.byteLength;
        }
        if (size > opts.limitBytes) break;
      }
    } finally {
      await reader.cancel().catch(() => {});
    }
    const head = new Uint8Array(kept);
    let at = 0;
    for (const c of chunks) {
      head.set(c, at);
      at += c.byteLength;
    }
    return { head, size, isTooLarge: size > opts.limitBytes };
  };
  return withRetry(once, { idempotent: true }, conn.retry);
}

/** Redacts an event under a transaction id derived from it, so a repeat yields the same redaction. */
export async function redactEvent(
  conn: HomeserverConnection,
  asUserId: string,
  roomId: string,
  eventId: string,
  txnId: string,
  reason: string,
): Promise<string> {
  const once = () =>
    matrixRequest(
      {
        homeserverUrl: conn.homeserverUrl,
        method: "PUT",
        path: `/_matrix/client/v3/rooms/${enc(roomId)}/redact/${enc(eventId)}/${enc(txnId)}`,
        accessToken: conn.asToken,
        asUserId,
        body: { reason },
        fetchFn: conn.fetchFn,
        timeoutMs: conn.timeoutMs ?? 30_000,
      },
      z.object({ event_id: z.string() }),
    );
  return (await withRetry(once, { idempotent: true }, conn.retry)).event_id;
}
