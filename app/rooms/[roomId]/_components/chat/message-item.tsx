"use client";

import type { MatrixClient } from "matrix-js-sdk";
import { useState } from "react";
import { formatFullTime, formatMessageTime } from "@/lib/chat/chat-time";
import type { MessageItem, PlaceholderItem } from "@/lib/chat/timeline-items";
import { AttachmentView } from "./attachment-view";
import { RichTextView } from "./rich-text-view";

const TEXTS = {
  edited: "(bearbeitet)",
  redacted: "Nachricht gelöscht",
  encrypted: "Verschlüsselt – bitte in Element öffnen",
  sending: "Wird gesendet …",
  notSent: "Nicht gesendet.",
  resend: "Erneut senden",
  discard: "Verwerfen",
  edit: "Bearbeiten",
  editLabel: (name: string, time: string) => `Nachricht von ${name} um ${time} bearbeiten`,
  remove: "Löschen",
  removeLabel: (name: string, time: string) => `Nachricht von ${name} um ${time} löschen`,
  confirmRemove: "Wirklich löschen?",
  confirmYes: "Ja, löschen",
  confirmNo: "Abbrechen",
};

export interface MessageActions {
  onEdit(item: MessageItem): void;
  onRedact(id: string): void;
  onResend(id: string): void;
  onDiscard(id: string): void;
}

const actionButton = "rounded px-2 py-0.5 text-xs text-slate-700 underline-offset-2 hover:bg-slate-100 hover:underline";

function SenderLine({ name, ts, hidden }: { name: string; ts: number; hidden: boolean }) {
  return (
    <p className={hidden ? "sr-only" : "flex items-baseline gap-2 text-sm"}>
      <span className="font-semibold text-slate-900">{name}</span>
      <time dateTime={new Date(ts).toISOString()} title={formatFullTime(ts)} className="text-xs text-slate-600">
        {formatMessageTime(ts)}
      </time>
    </p>
  );
}

export function PlaceholderView({ item }: { item: PlaceholderItem }) {
  return (
    <li data-testid="chat-message" data-event-id={item.id} data-kind={item.kind} className="px-3 py-1">
      <SenderLine name={item.senderName} ts={item.ts} hidden={false} />
      <p className="text-sm italic text-slate-600">{item.kind === "redacted" ? TEXTS.redacted : TEXTS.encrypted}</p>
    </li>
  );
}

export function MessageView({
  item,
  client,
  canModerate,
  actions,
}: {
  item: MessageItem;
  client: MatrixClient;
  canModerate: boolean;
  actions: MessageActions;
}) {
  const [confirming, setConfirming] = useState(false);
  const time = formatMessageTime(item.ts);
  const canRedact = item.sendStatus === null && (item.isOwn || canModerate);
  const bodyClass = item.isNotice ? "text-slate-700" : "text-slate-900";
  return (
    <li
      data-testid="chat-message"
      data-event-id={item.id}
      data-kind="message"
      className={`group rounded-md px-3 ${item.continuesSender ? "pt-0.5 pb-1" : "pt-2 pb-1"} focus-within:bg-slate-50 hover:bg-slate-50`}
    >
      <SenderLine name={item.senderName} ts={item.ts} hidden={item.continuesSender} />
      {!(item.attachment && item.body === item.attachment.name) && (
        <p className={`whitespace-pre-wrap break-words ${bodyClass} ${item.isEmote ? "italic" : ""}`} data-testid="chat-message-body">
          {item.isEmote && `* ${item.senderName} `}
          <RichTextView text={item.body} />
          {item.edited && <span className="ml-1 text-xs text-slate-600">{TEXTS.edited}</span>}
        </p>
      )}
      {item.attachment && <AttachmentView client={client} attachment={item.attachment} />}
      {item.sendStatus === "sending" && <p className="text-xs text-slate-600">{TEXTS.sending}</p>}
      {item.sendStatus === "not_sent" && (
        <p className="flex flex-wrap items-center gap-2 text-xs text-red-800">
          {TEXTS.notSent}
          <button type="button" className={actionButton} onClick={() => actions.onResend(item.id)}>
            {TEXTS.resend}
          </button>
          <button type="button" className={actionButton} onClick={() => actions.onDiscard(item.id)}>
            {TEXTS.discard}
          </button>
        </p>
      )}
      {(item.canEdit || canRedact) && (
        <div className="flex flex-wrap gap-1 [@media(hover:hover)]:opacity-0 [@media(hover:hover)]:group-hover:opacity-100 [@media(hover:hover)]:group-focus-within:opacity-100">
          {confirming ? (
            <>
              <span className="px-2 py-0.5 text-xs text-slate-800">{TEXTS.confirmRemove}</span>
              <button
                type="button"
                className={`${actionButton} text-red-800`}
                onClick={() => {
                  setConfirming(false);
                  actions.onRedact(item.id);
                }}
              >
                {TEXTS.confirmYes}
              </button>
              <button type="button" className={actionButton} onClick={() => setConfirming(false)} autoFocus>
                {TEXTS.confirmNo}
              </button>
            </>
          ) : (
            <>
              {item.canEdit && !item.attachment && (
                <button type="button" className={actionButton} aria-label={TEXTS.editLabel(item.senderName, time)} onClick={() => actions.onEdit(item)}>
                  {TEXTS.edit}
                </button>
              )}
              {canRedact && (
                <button type="button" className={actionButton} aria-label={TEXTS.removeLabel(item.senderName, time)} onClick={() => setConfirming(true)}>
                  {TEXTS.remove}
                </button>
              )}
            </>
          )}
        </div>
      )}
    </li>
  );
}
