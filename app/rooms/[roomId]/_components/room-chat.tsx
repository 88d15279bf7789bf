"use client";

import { MatrixClientProvider, setMatrixSessionEndpoint } from "@/app/_components/matrix-client-provider";
import { DEFAULT_MAX_ATTACHMENT_BYTES } from "@/lib/chat/attachment-policy";
import { ChatRoom } from "./chat/chat-room";

const TEXTS = {
  heading: "Chat",
};

export interface RoomChatProps {
  roomId: string;
  userId: string;
  canModerate: boolean;
  /** Largest attachment the policy allows, in bytes (default 20 MB). */
  maxAttachmentBytes?: number;
  /** Guests' pages take their credentials from the guest session. */
  sessionUrl?: "/api/matrix/session" | "/api/guest/session";
}

/**
 * Live chat of one room through matrix-js-sdk in the browser, on the tab's
 * shared client. The page has already checked membership on the homeserver;
 * `userId` is the account it checked.
 */
export function RoomChat({ roomId, userId, canModerate, maxAttachmentBytes = DEFAULT_MAX_ATTACHMENT_BYTES, sessionUrl }: RoomChatProps) {
  if (sessionUrl) setMatrixSessionEndpoint(sessionUrl);
  return (
    <section
      aria-labelledby="room-chat-heading"
      data-room-id={roomId}
      className="flex min-w-0 flex-col overflow-hidden rounded-lg border border-slate-200 bg-white"
    >
      <h2 id="room-chat-heading" className="border-b border-slate-200 px-4 py-2 text-lg font-semibold text-brand-900">
        {TEXTS.heading}
      </h2>
      <MatrixClientProvider>
        <ChatRoom roomId={roomId} expectedUserId={userId} canModerate={canModerate} maxAttachmentBytes={maxAttachmentBytes} />
      </MatrixClientProvider>
    </section>
  );
}
