import type { MatrixClient, MatrixEvent, Room } from "matrix-js-sdk";
import { useCallback, useEffect, useMemo, useReducer, useState } from "react";
import type { MatrixSdk } from "@/app/_components/matrix-client-provider";
import { buildTimeline, type ChatEventInput, type TimelineItem } from "@/lib/chat/timeline-items";
import { usePartnerLabel } from "../partner-directory";

const PAGE_SIZE = 30;

function displayName(room: Room, userId: string, fallback: { name?: string } | null): string {
  return fallback?.name || room.getMember(userId)?.name || userId.replace(/^@/, "").split(":")[0] || userId;
}

/** matrix-js-sdk's event → the plain description lib/chat works with. */
export function toChatEvent(room: Room, ev: MatrixEvent): ChatEventInput {
  const sender = ev.getSender() ?? "";
  const stateKey = ev.getStateKey();
  const status = ev.status;
  const id = ev.getId() ?? ev.getTxnId() ?? `${sender}:${ev.getTs()}`;
  return {
    id,
    key: ev.getTxnId() ?? id,
    type: ev.getType(),
    sender,
    senderName: displayName(room, sender, ev.sender),
    ts: ev.getTs(),
    content: ev.getContent(),
    stateKey,
    prevContent: ev.getPrevContent(),
    targetName: stateKey !== undefined && ev.getType() === "m.room.member" ? (ev.getContent().displayname as string | undefined) || displayName(room, stateKey, ev.target) : undefined,
    isRedacted: ev.isRedacted(),
    isEdited: Boolean(ev.replacingEvent()),
    sendStatus: status === "not_sent" || status === "cancelled" ? "not_sent" : status && status !== "sent" ? "sending" : null,
  };
}

export interface RoomTimeline {
  items: TimelineItem[];
  /** The room's events by id, for actions on them (redact, resend). */
  eventById: (id: string) => MatrixEvent | undefined;
  /** The newest event the server has confirmed (also hidden ones such as edits), for read receipts. */
  latestEventId: string | undefined;
  isAtStart: boolean;
  isLoadingOlder: boolean;
  loadOlderFailed: boolean;
  loadOlder: () => Promise<void>;
}

/** The live timeline of a room as display items, re-rendered on every change the SDK reports. */
export function useTimeline(client: MatrixClient, sdk: MatrixSdk, room: Room, userId: string): RoomTimeline {
  const [version, refresh] = useReducer((n: number) => n + 1, 0);
  // Partner users' names carry their organisation (federation).
  const label = usePartnerLabel();
  const [isLoadingOlder, setLoadingOlder] = useState(false);
  const [loadOlderFailed, setLoadOlderFailed] = useState(false);

  useEffect(() => {
    const onRoomChange = (_e: unknown, r?: Room) => {
      if (!r || r.roomId === room.roomId) refresh();
    };
    const onEventChange = (ev: MatrixEvent) => {
      if (ev.getRoomId() === room.roomId) refresh();
    };
    room.on(sdk.RoomEvent.Timeline, onRoomChange);
    room.on(sdk.RoomEvent.TimelineReset, refresh);
    room.on(sdk.RoomEvent.Redaction, onRoomChange);
    room.on(sdk.RoomEvent.LocalEchoUpdated, onRoomChange);
    room.on(sdk.RoomStateEvent.Members, refresh);
    client.on(sdk.MatrixEventEvent.Replaced, onEventChange);
    return () => {
      room.off(sdk.RoomEvent.Timeline, onRoomChange);
      room.off(sdk.RoomEvent.TimelineReset, refresh);
      room.off(sdk.RoomEvent.Redaction, onRoomChange);
      room.off(sdk.RoomEvent.LocalEchoUpdated, onRoomChange);
      room.off(sdk.RoomStateEvent.Members, refresh);
      client.off(sdk.MatrixEventEvent.Replaced, onEventChange);
    };
  }, [client, sdk, room]);

  const { items, events } = useMemo(() => {
    void version; // the SDK mutates its arrays in place: `version` says when to read them again
    const events = room.getLiveTimeline().getEvents();
    const chatEvents = events.map((e) => {
      const ev = toChatEvent(room, e);
      return { ...ev, senderName: label(ev.senderName, ev.sender) };
    });
    return { events, items: buildTimeline(chatEvents, { ownUserId: userId }) };
  }, [room, userId, version, label]);

  const eventById = useCallback(
    (id: string) => events.find((e) => e.getId() === id || e.getTxnId() === id),
    [events],
  );

  const latestEventId = events.findLast((e) => e.getId()?.startsWith("$"))?.getId();
  const isAtStart = room.oldState.paginationToken === null;
  const loadOlder = useCallback(async () => {
    if (isLoadingOlder || room.oldState.paginationToken === null) return;
    setLoadingOlder(true);
    setLoadOlderFailed(false);
    try {
      await client.scrollback(room, PAGE_SIZE);
    } catch {
      setLoadOlderFailed(true);
    } finally {
      setLoadingOlder(false);
      refresh();
    }
  }, [client, room, isLoadingOlder]);

  return { items, eventById, latestEventId, isAtStart, isLoadingOlder, loadOlderFailed, loadOlder };
}
