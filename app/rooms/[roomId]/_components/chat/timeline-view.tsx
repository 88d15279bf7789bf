"use client";

import type { MatrixClient } from "matrix-js-sdk";
import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from "react";
import { formatDayHeading } from "@/lib/chat/chat-time";
import { previewText, type TimelineItem } from "@/lib/chat/timeline-items";
import { MessageView, PlaceholderView, type MessageActions } from "./message-item";
import type { RoomTimeline } from "./use-timeline";

const TEXTS = {
  label: "Nachrichtenverlauf",
  loadOlder: "Ältere Nachrichten laden",
  loadingOlder: "Ältere Nachrichten werden geladen …",
  loadOlderFailed: "Ältere Nachrichten konnten nicht geladen werden.",
  start: "Anfang des Verlaufs",
  empty: "Noch keine Nachrichten. Schreiben Sie die erste!",
  announce: (name: string, text: string) => `Neue Nachricht von ${name}: ${text}`,
};

/** Within this distance of an edge counts as "at" it. */
const EDGE_PX = 80;

function ItemView(props: { item: TimelineItem; client: MatrixClient; canModerate: boolean; actions: MessageActions }) {
  const { item } = props;
  if (item.kind === "message") return <MessageView {...props} item={item} />;
  if (item.kind === "change")
    return (
      <li data-testid="chat-change" className="px-3 py-1 text-center text-sm text-slate-600">
        {item.text}
      </li>
    );
  return <PlaceholderView item={item} />;
}

/** The newest message from someone else, read out politely once per message. */
function useAnnouncement(items: readonly TimelineItem[]): string {
  const [text, setText] = useState("");
  const lastSeen = useRef<string | null | undefined>(undefined);
  const last = items.at(-1);
  useEffect(() => {
    const id = last?.id ?? null;
    if (lastSeen.current === undefined) {
      lastSeen.current = id; // what was there when the page opened is not news
      return;
    }
    if (id === lastSeen.current) return;
    lastSeen.current = id;
    if (last?.kind === "message" && !last.isOwn) setText(TEXTS.announce(last.senderName, previewText(last)));
  }, [last]);
  return text;
}

export function TimelineView({
  timeline,
  client,
  canModerate,
  actions,
  stickToBottom,
}: {
  timeline: RoomTimeline;
  client: MatrixClient;
  canModerate: boolean;
  actions: MessageActions;
  /** Incremented by the composer when the person sends: the view jumps to the newest message. */
  stickToBottom: number;
}) {
  const { items, isAtStart, isLoadingOlder, loadOlderFailed, loadOlder } = timeline;
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const restore = useRef<{ firstId: string | undefined; height: number; top: number } | null>(null);
  const announcement = useAnnouncement(items);
  const now = Date.now();

  const requestOlder = () => {
    const el = scroller.current;
    if (!el || isLoadingOlder || isAtStart) return;
    restore.current = { firstId: items[0]?.key, height: el.scrollHeight, top: el.scrollTop };
    void loadOlder();
  };

  // Keeps the reading position when older messages are added above, and follows new ones at the bottom.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const r = restore.current;
    if (r && r.firstId !== items[0]?.key) {
      el.scrollTop = r.top + (el.scrollHeight - r.height);
      restore.current = null;
    } else if (atBottom.current) {
      el.scrollTop = el.scrollHeight;
    }
  }, [items]);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    atBottom.current = true;
    el.scrollTop = el.scrollHeight;
  }, [stickToBottom]);

  // When the history does not fill the view, there is nothing to scroll: fetch more right away.
  useEffect(() => {
    const el = scroller.current;
    if (el && !isAtStart && !isLoadingOlder && !loadOlderFailed && el.scrollHeight <= el.clientHeight + EDGE_PX) requestOlder();
  });

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < EDGE_PX;
    if (el.scrollTop < EDGE_PX) requestOlder();
  };

  return (
    <>
      <div
        ref={scroller}
        onScroll={onScroll}
        role="region"
        aria-label={TEXTS.label}
        tabIndex={0}
        data-testid="chat-timeline"
        className="h-[55vh] min-h-72 overflow-y-auto overscroll-contain py-2 lg:h-[60vh]"
      >
        <div className="flex justify-center py-1">
          {isAtStart ? (
            <p className="text-xs text-slate-600">{TEXTS.start}</p>
          ) : (
            <button type="button" onClick={requestOlder} disabled={isLoadingOlder} className="rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100 disabled:opacity-60">
              {isLoadingOlder ? TEXTS.loadingOlder : TEXTS.loadOlder}
            </button>
          )}
        </div>
        {loadOlderFailed && (
          <p role="alert" className="px-3 text-center text-sm text-red-800">
            {TEXTS.loadOlderFailed}
          </p>
        )}
        {items.length === 0 && isAtStart && <p className="px-3 py-6 text-center text-slate-600">{TEXTS.empty}</p>}
        <ol className="flex flex-col">
          {items.map((item) => (
            <FragmentWithDay key={item.key} item={item} now={now}>
              <ItemView item={item} client={client} canModerate={canModerate} actions={actions} />
            </FragmentWithDay>
          ))}
        </ol>
      </div>
      <div aria-live="polite" aria-atomic="true" className="sr-only" data-testid="chat-announcer">
        {announcement}
      </div>
    </>
  );
}

function FragmentWithDay({ item, now, children }: { item: TimelineItem; now: number; children: ReactNode }) {
  if (!item.startsDay) return children;
  return (
    <>
      <li className="sticky top-0 z-10 flex justify-center py-2">
        <h3 className="rounded-full bg-slate-100 px-3 py-0.5 text-xs font-medium text-slate-700">{formatDayHeading(item.ts, now)}</h3>
      </li>
      {children}
    </>
  );
}
