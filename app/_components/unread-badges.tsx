"use client";

import type { Room } from "matrix-js-sdk";
import { useEffect, useReducer, useState } from "react";
import { createPortal } from "react-dom";
import { unreadBadge, type UnreadBadgeModel } from "@/lib/chat/unread-badge";
import { MatrixClientProvider, useMatrixConnection } from "./matrix-client-provider";

/**
 * Unread counts for the dashboard's room list, live from the tab's shared
 * Matrix client (the homeserver's notification counts per room). Placed once
 * next to a server-rendered list, it annotates each room by id: into an
 * element `[data-unread-slot="<room id>"]` when the list has one, otherwise
 * right after the room's link (`a[href="/rooms/<encoded room id>"]`).
 */
const TONE_STYLES: Record<UnreadBadgeModel["tone"], string> = {
  normal: "bg-brand-700 text-white",
  highlight: "bg-red-700 text-white",
  invite: "bg-amber-100 text-amber-900 border border-amber-700",
};

/** The dashboard renders an empty `data-unread-slot` next to each room link for the badge. */
function findTarget(roomId: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(`[data-unread-slot="${CSS.escape(roomId)}"]`);
}

function Badge({ model, roomId }: { model: UnreadBadgeModel; roomId: string }) {
  return (
    <span
      data-testid="unread-badge"
      data-room-id={roomId}
      title={model.description}
      className={`inline-flex min-w-6 items-center justify-center rounded-full px-2 py-0.5 text-xs font-semibold ${TONE_STYLES[model.tone]}`}
    >
      <span aria-hidden="true">{model.label}</span>
      <span className="sr-only">{model.description}</span>
    </span>
  );
}

function Badges({ roomIds }: { roomIds: readonly string[] }) {
  const connection = useMatrixConnection();
  const [, refresh] = useReducer((n: number) => n + 1, 0);
  const [targets, setTargets] = useState<Map<string, HTMLElement>>(new Map());
  const key = roomIds.join("\n");

  useEffect(() => {
    const found = new Map<string, HTMLElement>();
    for (const id of key ? key.split("\n") : []) {
      const t = findTarget(id);
      if (t) found.set(id, t);
    }
    setTargets(found);
  }, [key]);

  const client = connection.status === "ready" ? connection.client : null;
  const sdk = connection.status === "ready" ? connection.sdk : null;
  useEffect(() => {
    if (!client || !sdk) return;
    const onRoom = (room: Room | undefined) => {
      if (!room || targets.has(room.roomId)) refresh();
    };
    const onAnyRoom = (_e: unknown, room: Room | undefined) => onRoom(room);
    // The homeserver sends new counts with every sync response.
    client.on(sdk.ClientEvent.Sync, refresh);
    client.on(sdk.RoomEvent.MyMembership, onRoom);
    client.on(sdk.RoomEvent.Receipt, onAnyRoom);
    client.on(sdk.ClientEvent.Room, onRoom);
    return () => {
      client.off(sdk.ClientEvent.Sync, refresh);
      client.off(sdk.RoomEvent.MyMembership, onRoom);
      client.off(sdk.RoomEvent.Receipt, onAnyRoom);
      client.off(sdk.ClientEvent.Room, onRoom);
    };
  }, [client, sdk, targets]);

  if (!client || !sdk || connection.status !== "ready" || !connection.isPrepared) return null;
  return [...targets].map(([roomId, target]) => {
    const room = client.getRoom(roomId);
    const model = room
      ? unreadBadge({
          membership: room.getMyMembership(),
          total: room.getUnreadNotificationCount(sdk.NotificationCountType.Total),
          highlight: room.getUnreadNotificationCount(sdk.NotificationCountType.Highlight),
        })
      : null;
    return model ? createPortal(<Badge model={model} roomId={roomId} />, target, roomId) : null;
  });
}

/** Unread badges for the given rooms (Matrix room ids), on the tab's shared client. */
export function UnreadBadges({ roomIds }: { roomIds: readonly string[] }) {
  return (
    <MatrixClientProvider>
      <Badges roomIds={roomIds} />
    </MatrixClientProvider>
  );
}
