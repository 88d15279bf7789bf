"use client";

import type { MatrixClient } from "matrix-js-sdk";
import { useEffect, useState } from "react";
import { formatBytes } from "@/lib/chat/attachment-policy";
import type { AttachmentModel } from "@/lib/chat/timeline-items";
import { fetchMediaBlob, saveBlob } from "./authenticated-media";

const TEXTS = {
  download: (name: string) => `${name} herunterladen`,
  downloading: "Wird geladen …",
  failed: "Die Datei konnte nicht geladen werden. Bitte versuchen Sie es erneut.",
  previewAlt: (name: string) => `Vorschau: ${name}`,
};

const PREVIEW = { width: 320, height: 240 };

function ImagePreview({ client, attachment }: { client: MatrixClient; attachment: AttachmentModel }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let url: string | null = null;
    let cancelled = false;
    fetchMediaBlob(client, attachment.mxcUrl, PREVIEW)
      .then((blob) => {
        if (cancelled) return;
        url = URL.createObjectURL(blob);
        setSrc(url);
      })
      .catch(() => {
        // No preview: the download button still works.
      });
    return () => {
      cancelled = true;
      if (url) URL.revokeObjectURL(url);
    };
  }, [client, attachment.mxcUrl]);
  if (!src) return null;
  return <img src={src} alt={TEXTS.previewAlt(attachment.name)} className="mt-1 max-h-60 max-w-full rounded border border-slate-200" />;
}

/** A file in the chat: an image preview where possible, and a download through authenticated media. */
export function AttachmentView({ client, attachment }: { client: MatrixClient; attachment: AttachmentModel }) {
  const [state, setState] = useState<"idle" | "loading" | "failed">("idle");
  const download = async () => {
    setState("loading");
    try {
      saveBlob(await fetchMediaBlob(client, attachment.mxcUrl), attachment.name);
      setState("idle");
    } catch {
      setState("failed");
    }
  };
  return (
    <div className="mt-1 flex flex-col items-start gap-1">
      {attachment.isImage && <ImagePreview client={client} attachment={attachment} />}
      <button
        type="button"
        onClick={download}
        disabled={state === "loading"}
        data-testid="attachment-download"
        className="inline-flex max-w-full items-center gap-2 rounded-md border border-slate-300 bg-slate-50 px-3 py-1.5 text-left text-sm hover:bg-slate-100 disabled:opacity-60"
      >
        <span aria-hidden="true">📎</span>
        <span className="truncate">{state === "loading" ? TEXTS.downloading : TEXTS.download(attachment.name)}</span>
        {attachment.size !== undefined && <span className="shrink-0 text-slate-600">({formatBytes(attachment.size)})</span>}
      </button>
      {state === "failed" && (
        <p role="alert" className="text-sm text-red-800">
          {TEXTS.failed}
        </p>
      )}
    </div>
  );
}
