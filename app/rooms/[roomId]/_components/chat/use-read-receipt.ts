import type { MatrixClient, Room } from "matrix-js-sdk";
import { useEffect } from "react";

/**
 * While the room is on screen, the latest event counts as read: the
 * homeserver resets the room's notification count, and the dashboard's
 * unread badge (in this and every other client) goes away.
 */
export function useReadReceipt(client: MatrixClient, room: Room, userId: string, latestEventId: string | undefined): void {
  useEffect(() => {
    if (!latestEventId?.startsWith("$")) return;
    const markRead = () => {
      if (document.visibilityState !== "visible") return;
      const event = room.findEventById(latestEventId);
      if (!event || room.hasUserReadEvent(userId, latestEventId)) return;
      client.sendReadReceipt(event).catch(() => {
        // Only a convenience: the next event or visit tries again.
      });
    };
    markRead();
    document.addEventListener("visibilitychange", markRead);
    return () => document.removeEventListener("visibilitychange", markRead);
  }, [client, room, userId, latestEventId]);
}
