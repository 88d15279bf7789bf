"use client";

import type { MatrixClient, Room, UploadResponse } from "matrix-js-sdk";
import type { RoomMessageEventContent } from "matrix-js-sdk/lib/@types/events";
import { useRef, useState } from "react";
import type { MatrixSdk } from "@/app/_components/matrix-client-provider";
import { buildAttachmentContent, buildEditContent, buildTextContent } from "@/lib/chat/outgoing-content";
import type { MessageItem } from "@/lib/chat/timeline-items";
import { Composer, type UploadProgress } from "./composer";
import { MemberList } from "./member-list";
import type { MessageActions } from "./message-item";
import { TimelineView } from "./timeline-view";
import { useReadReceipt } from "./use-read-receipt";
import { useTimeline } from "./use-timeline";

const TEXTS = {
  encryptedRoom: "Dieser Raum ist Ende-zu-Ende-verschlüsselt. Nachrichten lesen und schreiben Sie bitte in Element.",
  sendFailed: "Die Nachricht konnte nicht gesendet werden.",
  redactFailed: "Die Nachricht konnte nicht gelöscht werden.",
  uploadFailed: "Die Datei konnte nicht hochgeladen werden.",
};

// The SDK types contents per msgtype; lib/chat builds them as plain objects.
const asContent = (content: object) => content as RoomMessageEventContent;

export interface ChatPanelProps {
  client: MatrixClient;
  sdk: MatrixSdk;
  room: Room;
  userId: string;
  canModerate: boolean;
  maxAttachmentBytes: number;
}

/** Timeline, composer and member list of a room the person has joined. */
export function ChatPanel({ client, sdk, room, userId, canModerate, maxAttachmentBytes }: ChatPanelProps) {
  const timeline = useTimeline(client, sdk, room, userId);
  const [editing, setEditing] = useState<{ id: string; body: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [upload, setUpload] = useState<UploadProgress | null>(null);
  const [stickToBottom, setStickToBottom] = useState(0);
  const currentUpload = useRef<Promise<UploadResponse> | null>(null);
  useReadReceipt(client, room, userId, timeline.latestEventId);

  const roomId = room.roomId;
  const isEncrypted = room.hasEncryptionStateEvent();

  const send = (content: object) => {
    setStickToBottom((n) => n + 1);
    // A failed send stays in the timeline as "not sent" with a retry button.
    client.sendMessage(roomId, asContent(content)).catch(() => setError(TEXTS.sendFailed));
  };

  const actions: MessageActions = {
    onEdit: (item: MessageItem) => setEditing({ id: item.id, body: item.body }),
    onRedact: (id) => {
      client.redactEvent(roomId, id).catch(() => setError(TEXTS.redactFailed));
    },
    onResend: (id) => {
      const ev = timeline.eventById(id);
      if (ev) client.resendEvent(ev, room).catch(() => setError(TEXTS.sendFailed));
    },
    onDiscard: (id) => {
      const ev = timeline.eventById(id);
      if (ev) client.cancelPendingEvent(ev);
    },
  };

  const attach = async (file: File) => {
    const name = file.name || "Datei";
    setUpload({ name, percent: 0 });
    const pending = client.uploadContent(file, {
      name,
      type: file.type || "application/octet-stream",
      progressHandler: ({ loaded, total }) => setUpload({ name, percent: total ? Math.round((loaded / total) * 100) : 0 }),
    });
    currentUpload.current = pending;
    try {
      const { content_uri } = await pending;
      send(buildAttachmentContent({ mxcUrl: content_uri, name, size: file.size, mimetype: file.type }));
    } catch {
      if (currentUpload.current === pending) setError(TEXTS.uploadFailed);
    } finally {
      if (currentUpload.current === pending) currentUpload.current = null;
      setUpload(null);
    }
  };

  const cancelUpload = () => {
    const pending = currentUpload.current;
    currentUpload.current = null;
    if (pending) client.cancelUpload(pending);
    setUpload(null);
  };

  return (
    <>
      <MemberList client={client} sdk={sdk} room={room} userId={userId} />
      <TimelineView timeline={timeline} client={client} canModerate={canModerate} actions={actions} stickToBottom={stickToBottom} />
      {isEncrypted ? (
        <p className="border-t border-slate-200 p-3 text-sm text-slate-700">{TEXTS.encryptedRoom}</p>
      ) : (
        <Composer
          editing={editing}
          maxAttachmentBytes={maxAttachmentBytes}
          upload={upload}
          error={error}
          onError={setError}
          onSend={(text) => send(buildTextContent(text))}
          onSaveEdit={(id, text) => {
            setEditing(null);
            send(buildEditContent(id, text));
          }}
          onCancelEdit={() => setEditing(null)}
          onAttach={(file) => void attach(file)}
          onCancelUpload={cancelUpload}
        />
      )}
    </>
  );
}
