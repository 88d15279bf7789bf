import type { MatrixClient } from "matrix-js-sdk";

/**
 * Media from the homeserver's authenticated endpoints (/_matrix/client/v1/media):
 * fetched with the access token, handed to the page as a blob: URL, so no
 * token ever appears in a URL or in the DOM.
 */
export async function fetchMediaBlob(client: MatrixClient, mxcUrl: string, thumbnail?: { width: number; height: number }): Promise<Blob> {
  const url = thumbnail
    ? client.mxcUrlToHttp(mxcUrl, thumbnail.width, thumbnail.height, "scale", false, true, true)
    : client.mxcUrlToHttp(mxcUrl, undefined, undefined, undefined, false, true, true);
  const token = client.getAccessToken();
  if (!url || !token) throw new Error("media unavailable");
  const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` }, cache: "no-store", referrerPolicy: "no-referrer" });
  if (!res.ok) throw new Error(`media download failed: ${res.status}`);
  return res.blob();
}

/** Saves a blob under a file name through a temporary link, as the browser's download. */
export function saveBlob(blob: Blob, fileName: string): void {
  const href = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = href;
  a.download = fileName;
  a.rel = "noopener";
  a.style.display = "none";
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started by now; the URL stays valid a little longer for slow browsers.
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}
