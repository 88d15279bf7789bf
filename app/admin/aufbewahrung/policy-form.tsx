"use client";

import { useActionState } from "react";
import { savePolicyAction, type SavePolicyState } from "./actions";
import { FieldError } from "../../_components/field-error";

const FIELDS: { name: string; label: string; hint: string; optional?: boolean }[] = [
  { name: "meetingDeleteAfterDays", label: "Besprechungsräume: löschen nach Terminende (Tage)", hint: "Standard 30" },
  { name: "meetingWarnDaysBefore", label: "Besprechungsräume: Ankündigung vor der Löschung (Tage)", hint: "Standard 7" },
  { name: "teamWarnAfterDays", label: "Teamräume: Warnung nach Tagen ohne Aktivität", hint: "Standard 180" },
  { name: "teamDeleteAfterDays", label: "Teamräume: Löschung nach Tagen ohne Aktivität", hint: "Standard 210" },
  { name: "directWarnAfterDays", label: "Direktchats: Warnung nach Tagen ohne Aktivität", hint: "Standard 365" },
  { name: "directDeleteAfterDays", label: "Direktchats: Löschung nach Tagen ohne Aktivität", hint: "Standard 395" },
  { name: "guestEraseAfterDays", label: "Gäste: Konto löschen nach Ende des Zugangs (Tage)", hint: "Deaktiviert wird sofort; Standard 7" },
  { name: "postponeDays", label: "Einmaliger Aufschub durch die Raumverwaltung (Tage)", hint: "Standard 30" },
  { name: "maxRoomOverrideDays", label: "Höchstens erlaubte Frist je Raum (Tage)", hint: "Grenze für eigene Fristen einzelner Räume" },
  { name: "messageRetentionDays", label: "Nachrichten löschen nach (Tage)", hint: "Leer: Nachrichten bleiben, solange der Raum besteht", optional: true },
];

export function PolicyForm({ current }: { current: Record<string, string> }) {
  const [state, action, pending] = useActionState<SavePolicyState, FormData>(savePolicyAction, {});
  const err = state.fieldErrors ?? {};
  const values = state.values ?? current;
  return (
    <form action={action} className="grid gap-4 sm:grid-cols-2" noValidate>
      {state.message && (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-red-900 sm:col-span-2">
          {state.message}
        </p>
      )}
      {state.saved !== undefined && (
        <p role="status" className="rounded-md bg-green-50 p-3 text-green-900 sm:col-span-2">
          Version {state.saved} der Richtlinie gilt ab sofort.
        </p>
      )}
      {FIELDS.map((f) => (
        <div key={f.name}>
          <label htmlFor={f.name} className="block font-medium">
            {f.label}
          </label>
          <input
            id={f.name}
            name={f.name}
            inputMode="numeric"
            defaultValue={values[f.name] ?? ""}
            key={`${f.name}-${state.saved ?? ""}-${values[f.name] ?? ""}`}
            aria-invalid={err[f.name] ? true : undefined}
            aria-describedby={`${f.name}-hint${err[f.name] ? ` ${f.name}-error` : ""}`}
            className="mt-1 w-32 rounded-md border border-slate-300 px-2 py-1"
            required={!f.optional}
          />
          <p id={`${f.name}-hint`} className="text-sm text-slate-600">
            {f.hint}
          </p>
          <FieldError id={`${f.name}-error`} error={err[f.name]} />
        </div>
      ))}
      <div className="sm:col-span-2">
        <button type="submit" disabled={pending} className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-900">
          {pending ? "Wird gespeichert …" : "Richtlinie speichern"}
        </button>
      </div>
    </form>
  );
}
