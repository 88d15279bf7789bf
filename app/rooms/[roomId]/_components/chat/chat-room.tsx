"use client";

import { useEffect, useState, type ReactNode } from "react";
import { retryMatrixConnection, useMatrixConnection } from "@/app/_components/matrix-client-provider";
import { ChatPanel } from "./chat-panel";
import { useRoom } from "./use-room";

const TEXTS = {
  connecting: "Chat wird verbunden …",
  loading: "Nachrichten werden geladen …",
  joining: "Sie treten dem Raum bei …",
  joinFailed: "Der Beitritt zum Raum ist fehlgeschlagen.",
  retry: "Erneut versuchen",
  connect: "Chat-Konto verbinden",
  reconnecting: "Verbindung unterbrochen – wird wiederhergestellt …",
  otherAccount: "Diese Chat-Sitzung gehört zu einem anderen Konto. Bitte melden Sie sich ab und wieder an.",
};

function Status({ children, busy = false }: { children: ReactNode; busy?: boolean }) {
  return (
    <div role="status" aria-busy={busy} className="flex min-h-40 flex-col items-center justify-center gap-3 p-6 text-center text-slate-700">
      {children}
    </div>
  );
}

export interface ChatRoomProps {
  roomId: string;
  /** The account the page checked membership for; the browser's session must be the same. */
  expectedUserId: string;
  canModerate: boolean;
  maxAttachmentBytes: number;
}

/** Connects, joins the room if the person was only invited (opening it is their choice), then shows the chat. */
export function ChatRoom({ roomId, expectedUserId, canModerate, maxAttachmentBytes }: ChatRoomProps) {
  const connection = useMatrixConnection();
  if (connection.status === "connecting") return <Status busy>{TEXTS.connecting}</Status>;
  if (connection.status === "failed") {
    return (
      <Status>
        <p role="alert">{connection.message}</p>
        {connection.reason === "unavailable" && (
          <button type="button" onClick={retryMatrixConnection} className="rounded-md border border-slate-400 px-3 py-1.5">
            {TEXTS.retry}
          </button>
        )}
        {connection.reason === "not-connected" && (
          <a href={`/matrix/connect?next=${encodeURIComponent(`/rooms/${encodeURIComponent(roomId)}`)}`} className="text-brand-700 underline">
            {TEXTS.connect}
          </a>
        )}
      </Status>
    );
  }
  if (connection.userId !== expectedUserId) {
    return (
      <Status>
        <p role="alert">{TEXTS.otherAccount}</p>
      </Status>
    );
  }
  if (!connection.isPrepared) return <Status busy>{TEXTS.loading}</Status>;
  const { client, sdk, userId, syncState } = connection;
  return (
    <>
      {(syncState === "ERROR" || syncState === "RECONNECTING") && (
        <p role="status" className="border-b border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-900">
          {TEXTS.reconnecting}
        </p>
      )}
      <JoinedRoom client={client} sdk={sdk} userId={userId} roomId={roomId} canModerate={canModerate} maxAttachmentBytes={maxAttachmentBytes} />
    </>
  );
}

function JoinedRoom({
  client,
  sdk,
  userId,
  roomId,
  canModerate,
  maxAttachmentBytes,
}: Omit<ChatRoomProps, "expectedUserId"> & Pick<Extract<ReturnType<typeof useMatrixConnection>, { status: "ready" }>, "client" | "sdk" | "userId">) {
  const { room, membership } = useRoom(client, sdk, roomId);
  // "requested": the homeserver accepted the join; the room appears as joined with the next sync.
  const [join, setJoin] = useState<"idle" | "joining" | "requested" | "failed">("idle");
  const isJoined = membership === "join";

  useEffect(() => {
    if (isJoined || join !== "idle") return;
    setJoin("joining");
    client.joinRoom(roomId).then(
      () => setJoin("requested"),
      () => setJoin("failed"),
    );
  }, [client, roomId, isJoined, join]);

  if (join === "failed" && !isJoined) {
    return (
      <Status>
        <p role="alert">{TEXTS.joinFailed}</p>
        <button type="button" onClick={() => setJoin("idle")} className="rounded-md border border-slate-400 px-3 py-1.5">
          {TEXTS.retry}
        </button>
      </Status>
    );
  }
  if (!isJoined || !room) return <Status busy>{TEXTS.joining}</Status>;
  return <ChatPanel client={client} sdk={sdk} room={room} userId={userId} canModerate={canModerate} maxAttachmentBytes={maxAttachmentBytes} />;
}
