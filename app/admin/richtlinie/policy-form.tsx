"use client";

import { useActionState } from "react";
import { savePolicyAction, type SavePolicyState } from "./actions";
import { FieldError } from "../../_components/field-error";

type Values = Record<string, string>;

function Field({
  name,
  label,
  hint,
  values,
  errors,
  type = "number",
}: {
  name: string;
  label: string;
  hint?: string;
  values: Values;
  errors: Record<string, string>;
  type?: "number" | "text";
}) {
  const id = name.replace(/\./g, "-");
  const describedBy = [hint ? `${id}-hint` : null, errors[name] ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div>
      <label htmlFor={id} className="font-medium">
        {label}
      </label>
      {hint && (
        <p id={`${id}-hint`} className="text-sm text-slate-700">
          {hint}
        </p>
      )}
      <input
        id={id}
        name={name}
        type={type}
        inputMode={type === "number" ? "decimal" : undefined}
        step={type === "number" ? "any" : undefined}
        defaultValue={values[name] ?? ""}
        className="mt-1 block w-48 rounded-md border border-slate-400 px-3 py-2 aria-[invalid=true]:border-red-700"
        {...(errors[name] ? { "aria-invalid": true } : {})}
        {...(describedBy ? { "aria-describedby": describedBy } : {})}
      />
      <FieldError id={`${id}-error`} error={errors[name]} />
    </div>
  );
}

function Group({ legend, children }: { legend: string; children: React.ReactNode }) {
  return (
    <fieldset className="rounded-md border border-slate-300 p-4">
      <legend className="px-1 text-lg font-semibold">{legend}</legend>
      <div className="flex flex-wrap gap-5">{children}</div>
    </fieldset>
  );
}

export function PolicyForm({ current }: { current: Values }) {
  const [state, action, pending] = useActionState<SavePolicyState, FormData>(savePolicyAction, {});
  const values = state.values ?? current;
  const err = state.fieldErrors ?? {};
  const f = (name: string, label: string, hint?: string, type?: "number" | "text") => (
    <Field name={name} label={label} hint={hint} values={values} errors={err} type={type} />
  );
  // A refused form shows what was submitted; a key forces the fields to take those values.
  const formKey = state.values ? JSON.stringify(state.values) : `saved-${state.saved ?? 0}`;
  return (
    <form key={formKey} action={action} className="flex flex-col gap-5" noValidate>
      {state.message && (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-red-900">
          {state.message}
        </p>
      )}
      {state.saved !== undefined && (
        <p role="status" className="rounded-md bg-green-50 p-3 text-green-900">
          Version {state.saved} ist gespeichert und gilt ab sofort.
        </p>
      )}
      <Group legend="Berechtigungen in verwalteten Räumen (Stufe 0–100; Moderation 50, Organisation 100)">
        {f("powerLevels.invite", "Einladen")}
        {f("powerLevels.widgets", "Widgets und Raumeinstellungen")}
        {f("powerLevels.redact", "Nachrichten anderer löschen")}
        {f("powerLevels.kick", "Personen entfernen")}
        {f("powerLevels.ban", "Personen sperren")}
      </Group>
      <Group legend="Gäste">
        {f("guests.meetingGraceHours", "Gastlinks gelten nach Besprechungsende noch (Stunden)")}
        {f("guests.defaultLinkDays", "Standard-Gültigkeit ohne Besprechung (Tage)")}
        {f("guests.maxLinkDays", "Höchste Gültigkeit (Tage)")}
        {f("guests.maxUses", "Höchstzahl Nutzungen je Link")}
      </Group>
      <Group legend="Dateien">
        <div>
          <label htmlFor="attachments-allowedTypes" className="font-medium">
            Erlaubte Dateitypen (einer je Zeile)
          </label>
          <p id="attachments-allowedTypes-hint" className="text-sm text-slate-700">
            Geprüft wird der Inhalt der Datei, nicht ihr Name.
          </p>
          <textarea
            id="attachments-allowedTypes"
            name="attachments.allowedTypes"
            rows={8}
            defaultValue={values["attachments.allowedTypes"] ?? ""}
            className="mt-1 block w-[32rem] max-w-full rounded-md border border-slate-400 px-3 py-2 font-mono text-sm aria-[invalid=true]:border-red-700"
            aria-describedby={err["attachments.allowedTypes"] ? "attachments-allowedTypes-hint attachments-allowedTypes-error" : "attachments-allowedTypes-hint"}
            {...(err["attachments.allowedTypes"] ? { "aria-invalid": true } : {})}
          />
          <FieldError id="attachments-allowedTypes-error" error={err["attachments.allowedTypes"]} />
        </div>
        {f("attachments.maxMiB", "Höchstgröße (MiB)")}
      </Group>
      <Group legend="Flutschutz">
        <div className="flex items-center gap-2 self-end">
          <input id="flood-enabled" name="flood.enabled" type="checkbox" defaultChecked={values["flood.enabled"] === "on"} />
          <label htmlFor="flood-enabled" className="font-medium">
            eingeschaltet
          </label>
        </div>
        {f("flood.messages", "Nachrichten je Person")}
        {f("flood.windowSeconds", "im Zeitraum von (Sekunden)")}
        {f("flood.muteMinutes", "danach stumm für (Minuten)", "Erst eine Warnung, dann die Stummschaltung. Moderation ist ausgenommen.")}
      </Group>
      <Group legend="Namensregel für Räume">
        <div>
          <label htmlFor="roomNaming-kind" className="font-medium">
            Regel
          </label>
          <select
            id="roomNaming-kind"
            name="roomNaming.kind"
            defaultValue={values["roomNaming.kind"] ?? "none"}
            className="mt-1 block rounded-md border border-slate-400 px-3 py-2"
          >
            <option value="none">keine</option>
            <option value="prefix">beginnt mit …</option>
            <option value="regex">regulärer Ausdruck</option>
          </select>
        </div>
        {f("roomNaming.value", "Präfix oder Ausdruck", "Wird beim Anlegen geprüft; der Regel-Bot setzt Umbenennungen zurück.", "text")}
      </Group>
      <button
        type="submit"
        disabled={pending}
        className="self-start rounded-md bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-900 disabled:opacity-60"
      >
        {pending ? "Wird gespeichert …" : "Als neue Version speichern"}
      </button>
    </form>
  );
}
