"use client";

import { useActionState, type ReactNode } from "react";
import type { ChangeFormState } from "./actions";

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
  return (
    <form action={formAction} className="flex flex-col gap-3" data-testid={testId}>
      <input type="hidden" name="kind" value={kind} />
      {children}
      {errors.length > 0 && (
        <ul className="text-sm text-red-800">
          {errors.map(([field, error]) => (
            <li key={field}>{error}</li>
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
