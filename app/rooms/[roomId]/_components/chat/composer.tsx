"use client";

import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { checkAttachmentSize, formatBytes } from "@/lib/chat/attachment-policy";
import { MAX_MESSAGE_LENGTH, normaliseDraft } from "@/lib/chat/outgoing-content";

const TEXTS = {
  label: "Nachricht schreiben",
  editLabel: "Nachricht bearbeiten",
  hint: "Enter sendet, Umschalt + Enter beginnt eine neue Zeile. **fett**, *kursiv* und `Code` werden formatiert.",
  placeholder: "Nachricht …",
  send: "Senden",
  save: "Speichern",
  cancelEdit: "Abbrechen",
  editing: "Sie bearbeiten eine Nachricht. Escape bricht ab.",
  attach: "Datei anhängen",
  attachHint: (limit: string) => `Dateien bis ${limit}`,
  uploading: (name: string, percent: number) => `${name} wird hochgeladen … ${percent} %`,
  cancelUpload: "Hochladen abbrechen",
  tooLong: (max: number) => `Die Nachricht ist zu lang (höchstens ${max.toLocaleString("de-DE")} Zeichen).`,
};

export interface UploadProgress {
  name: string;
  percent: number;
}

export interface ComposerProps {
  editing: { id: string; body: string } | null;
  maxAttachmentBytes: number;
  upload: UploadProgress | null;
  onSend(text: string): void;
  onSaveEdit(id: string, text: string): void;
  onCancelEdit(): void;
  onAttach(file: File): void;
  onCancelUpload(): void;
  /** Error from sending or uploading, shown with the composer. */
  error: string | null;
  onError(message: string | null): void;
}

/** The message field: Enter sends, Shift+Enter adds a line; files go to the media repository. */
export function Composer(props: ComposerProps) {
  const { editing, maxAttachmentBytes, upload, error } = props;
  const [draft, setDraft] = useState("");
  const savedDraft = useRef("");
  const field = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const ids = { field: useId(), hint: useId(), error: useId(), file: useId() };

  // Editing replaces the draft for a moment; cancelling or saving brings it back.
  const wasEditing = useRef(false);
  const editingId = editing?.id;
  useEffect(() => {
    if (editing) {
      if (!wasEditing.current) savedDraft.current = draft; // not when switching from one edit to another
      wasEditing.current = true;
      setDraft(editing.body);
      field.current?.focus();
    } else if (wasEditing.current) {
      wasEditing.current = false;
      setDraft(savedDraft.current);
      savedDraft.current = "";
    }
    // Only when editing starts, switches or ends; `draft` and `editing.body` are read at that moment.
  }, [editingId]);

  const submit = () => {
    const text = normaliseDraft(draft);
    if (!text) return;
    if (text.length > MAX_MESSAGE_LENGTH) {
      props.onError(TEXTS.tooLong(MAX_MESSAGE_LENGTH));
      return;
    }
    props.onError(null);
    if (editing) {
      props.onSaveEdit(editing.id, text);
    } else {
      setDraft("");
      props.onSend(text);
    }
    field.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    } else if (e.key === "Escape" && editing) {
      e.preventDefault();
      props.onCancelEdit();
    }
  };

  const onFile = (file: File | undefined) => {
    if (fileInput.current) fileInput.current.value = "";
    if (!file) return;
    const problem = checkAttachmentSize(file.size, maxAttachmentBytes);
    if (problem) {
      props.onError(problem);
      return;
    }
    props.onError(null);
    props.onAttach(file);
  };

  const describedBy = [ids.hint, error ? ids.error : null].filter(Boolean).join(" ");
  return (
    <form
      className="flex flex-col gap-2 border-t border-slate-200 p-3"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        submit();
      }}
    >
      {editing && (
        <p className="flex items-center justify-between gap-2 rounded bg-brand-50 px-2 py-1 text-sm text-brand-900">
          {TEXTS.editing}
          <button type="button" onClick={props.onCancelEdit} className="rounded px-2 py-0.5 underline">
            {TEXTS.cancelEdit}
          </button>
        </p>
      )}
      <label htmlFor={ids.field} className="sr-only">
        {editing ? TEXTS.editLabel : TEXTS.label}
      </label>
      <textarea
        id={ids.field}
        ref={field}
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={onKeyDown}
        rows={2}
        placeholder={TEXTS.placeholder}
        aria-describedby={describedBy}
        aria-invalid={error ? true : undefined}
        data-testid="chat-composer"
        className="max-h-48 min-h-12 w-full resize-y rounded-md border border-slate-400 px-3 py-2"
      />
      <p id={ids.hint} className="sr-only">
        {TEXTS.hint}
      </p>
      {error && (
        <p id={ids.error} role="alert" className="text-sm text-red-800" data-testid="chat-composer-error">
          {error}
        </p>
      )}
      {upload && (
        <div role="status" className="flex flex-wrap items-center gap-2 text-sm text-slate-700">
          <span>{TEXTS.uploading(upload.name, upload.percent)}</span>
          <progress max={100} value={upload.percent} className="h-2 w-32" aria-hidden="true" />
          <button type="button" onClick={props.onCancelUpload} className="rounded px-2 py-0.5 underline">
            {TEXTS.cancelUpload}
          </button>
        </div>
      )}
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div className="flex items-center gap-2">
          <input
            id={ids.file}
            ref={fileInput}
            type="file"
            className="peer sr-only"
            disabled={Boolean(upload) || Boolean(editing)}
            onChange={(e) => onFile(e.target.files?.[0])}
            data-testid="chat-attach"
          />
          <label
            htmlFor={ids.file}
            className="cursor-pointer rounded-md border border-slate-400 px-3 py-1.5 text-sm hover:bg-slate-100 peer-focus-visible:outline-3 peer-focus-visible:outline-offset-2 peer-focus-visible:outline-brand-600 peer-disabled:cursor-not-allowed peer-disabled:opacity-60"
          >
            {TEXTS.attach}
          </label>
          <span className="text-xs text-slate-600">{TEXTS.attachHint(formatBytes(maxAttachmentBytes))}</span>
        </div>
        <button type="submit" className="rounded-md bg-brand-700 px-4 py-1.5 font-semibold text-white hover:bg-brand-900">
          {editing ? TEXTS.save : TEXTS.send}
        </button>
      </div>
    </form>
  );
}
