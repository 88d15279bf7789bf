"use client";

import { startTransition, useActionState, useEffect, useRef, type FormEvent, type ReactNode } from "react";
import type { ChangeFormState } from "./actions";

/** Fields whose errors the server reports under another name than the form field's. */
const ERROR_KEYS: Record<string, string[]> = { logins: ["participantIds", "inviteLogins"] };

function errorFor(fieldErrors: Record<string, string>, name: string): { key: string; error: string } | null {
  for (const key of ERROR_KEYS[name] ?? [name]) {
    const error = Object.entries(fieldErrors).find(([k]) => k === key || k.startsWith(`${key}.`));
    if (error) return { key: error[0], error: error[1] };
  }
  return null;
}

/** One form per kind of change; shows the outcome and field errors next to the form. */
export function ChangeForm({
  action,
  kind,
  children,
  submitLabel,
  danger = false,
  testId,
}: {
  action: (prev: ChangeFormState, form: FormData) => Promise<ChangeFormState>;
  kind: "add" | "remove" | "details" | "cancel";
  children?: ReactNode;
  submitLabel: string;
  danger?: boolean;
  testId: string;
}) {
  const [state, formAction, pending] = useActionState(action, {});
  const errors = Object.entries(state.fieldErrors ?? {});
  const errorId = (key: string) => `${testId}-${key.replace(/[^A-Za-z0-9_-]/g, "-")}-error`;
  const formRef = useRef<HTMLFormElement>(null);
  // The fields are the page's (server-rendered children): mark the ones in error and point them at their message,
  // so "Bitte prüfen Sie die markierten Felder" names fields that are marked, for screen readers too.
  useEffect(() => {
    for (const field of formRef.current?.querySelectorAll<HTMLElement>("input[name], textarea[name], select[name]") ?? []) {
      const name = field.getAttribute("name")!;
      if (name === "kind") continue;
      const found = errorFor(state.fieldErrors ?? {}, name);
      if (found) {
        field.setAttribute("aria-invalid", "true");
        field.setAttribute("aria-describedby", errorId(found.key));
      } else {
        field.removeAttribute("aria-invalid");
        field.removeAttribute("aria-describedby");
      }
    }
  });
  // Invitations and removals done: clear the choice. A refused change keeps what was typed (see onSubmit).
  useEffect(() => {
    if (state.done && (kind === "add" || kind === "remove")) formRef.current?.reset();
  }, [state, kind]);
  // React resets a form after its action ran, so a refused change would lose what the person typed (and a
  // second try would send the old start time with the new end). Dispatching from onSubmit skips that reset;
  // `action` stays for submissions before the page is hydrated.
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget, (e.nativeEvent as SubmitEvent).submitter);
    startTransition(() => formAction(data));
  };
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} className="flex flex-col gap-3" data-testid={testId}>
      <input type="hidden" name="kind" value={kind} />
      {children}
      {errors.length > 0 && (
        <ul className="text-sm text-red-800">
          {errors.map(([field, error]) => (
            <li key={field} id={errorId(field)}>
              {error}
            </li>
          ))}
        </ul>
      )}
      <p role="status" aria-live="polite" className={state.message ? "text-sm text-red-800" : "text-sm text-green-800"}>
        {state.message ?? state.done ?? ""}
      </p>
      <div>
        <button
          type="submit"
          disabled={pending}
          className={
            danger
              ? "rounded-md border border-red-700 px-4 py-2 text-red-800 hover:bg-red-50 disabled:opacity-60"
              : "rounded-md bg-brand-700 px-4 py-2 text-white hover:bg-brand-900 disabled:opacity-60"
          }
        >
          {submitLabel}
        </button>
      </div>
    </form>
  );
}
