import type { MatrixClient, Room } from "matrix-js-sdk";
import { useEffect, useReducer } from "react";
import type { MatrixSdk } from "@/app/_components/matrix-client-provider";

/** The room as the tab's client knows it, and one's own membership; re-renders when either changes. */
export function useRoom(client: MatrixClient, sdk: MatrixSdk, roomId: string): { room: Room | null; membership: string | null } {
  const [, refresh] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    const onRoom = (room: Room) => {
      if (room.roomId === roomId) refresh();
    };
    client.on(sdk.ClientEvent.Room, onRoom);
    client.on(sdk.RoomEvent.MyMembership, onRoom);
    return () => {
      client.off(sdk.ClientEvent.Room, onRoom);
      client.off(sdk.RoomEvent.MyMembership, onRoom);
    };
  }, [client, sdk, roomId]);
  const room = client.getRoom(roomId);
  return { room, membership: room ? room.getMyMembership() : null };
}
