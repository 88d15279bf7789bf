"use client";

import { useActionState, useState } from "react";
import { createRoomAction, type CreateRoomState } from "./actions";
import { FieldError } from "../../_components/field-error";

interface PersonOption {
  id: string;
  label: string;
}

const inputClass = "mt-1 block w-full rounded-md border border-slate-400 px-3 py-2 aria-[invalid=true]:border-red-700";

export function CreateRoomForm({
  people,
  idempotencyKey,
  departments,
  partners = [],
}: {
  people: PersonOption[];
  idempotencyKey: string;
  /** Departments the person may open a room to: their own, or (admins) every known one. */
  departments: string[];
  /** Approved partner organisations the room may be opened to (federation). */
  partners?: { id: string; name: string }[];
}) {
  const [state, action, pending] = useActionState<CreateRoomState, FormData>(createRoomAction, {});
  const [kind, setKind] = useState("meeting");
  const [access, setAccess] = useState("invited");
  const err = state.fieldErrors ?? {};
  const describe = (name: string) => (err[name] ? { "aria-invalid": true, "aria-describedby": `${name}-error` } : {});

  return (
    <form action={action} className="flex flex-col gap-5" noValidate>
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      {state.message && (
        <p role="alert" data-testid="form-message" className="rounded-md border border-red-300 bg-red-50 p-3 text-red-900">
          {state.message}
        </p>
      )}
      <fieldset>
        <legend className="font-medium">Art des Raums</legend>
        <div className="mt-2 flex flex-wrap gap-4">
          {[
            ["meeting", "Besprechung (mit Termin)"],
            ["team", "Dauerhafter Teamraum"],
            ["direct", "Einzelchat"],
          ].map(([value, label]) => (
            <label key={value} className="flex items-center gap-2">
              <input type="radio" name="kind" value={value} checked={kind === value} onChange={() => setKind(value!)} />
              {label}
            </label>
          ))}
        </div>
      </fieldset>
      <div>
        <label htmlFor="name" className="font-medium">
          Name
        </label>
        <input id="name" name="name" required maxLength={120} className={inputClass} {...describe("name")} />
        <FieldError id="name-error" error={err.name} />
      </div>
      <div>
        <label htmlFor="topic" className="font-medium">
          Beschreibung <span className="font-normal text-slate-600">(optional)</span>
        </label>
        <textarea id="topic" name="topic" maxLength={500} rows={2} className={inputClass} {...describe("topic")} />
        <FieldError id="topic-error" error={err.topic} />
      </div>
      {kind === "meeting" && (
        <div className="grid gap-4 sm:grid-cols-2">
          <div>
            <label htmlFor="startsAt" className="font-medium">
              Beginn
            </label>
            <input id="startsAt" name="startsAt" type="datetime-local" className={inputClass} {...describe("startsAt")} />
            <FieldError id="startsAt-error" error={err.startsAt} />
          </div>
          <div>
            <label htmlFor="endsAt" className="font-medium">
              Ende
            </label>
            <input id="endsAt" name="endsAt" type="datetime-local" className={inputClass} {...describe("endsAt")} />
            <FieldError id="endsAt-error" error={err.endsAt} />
          </div>
        </div>
      )}
      <div>
        <label htmlFor="participantIds" className="font-medium">
          Teilnehmende aus dem Verzeichnis
        </label>
        <select id="participantIds" name="participantIds" multiple size={Math.min(8, Math.max(3, people.length))} className={inputClass} {...describe("participantIds")}>
          {people.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
        </select>
        <p className="mt-1 text-sm text-slate-600">Mehrfachauswahl mit Strg bzw. ⌘.</p>
        <FieldError id="participantIds-error" error={err.participantIds} />
      </div>
      <div>
        <label htmlFor="inviteLogins" className="font-medium">
          Weitere Personen per Anmeldename oder E-Mail <span className="font-normal text-slate-600">(optional)</span>
        </label>
        <textarea id="inviteLogins" name="inviteLogins" rows={2} className={inputClass} {...describe("inviteLogins")} />
        <p className="mt-1 text-sm text-slate-600">Wer sich noch nie angemeldet hat, wird bei der ersten Anmeldung eingeladen.</p>
        <FieldError id="inviteLogins-error" error={err.inviteLogins} />
      </div>
      <fieldset aria-describedby={err.access ? "access-error" : undefined}>
        <legend className="font-medium">Wer darf beitreten?</legend>
        <div className="mt-2 flex flex-col gap-2">
          {[
            ["invited", "Nur eingeladene Personen"],
            ["department", "Alle Mitglieder einer Abteilung"],
            ["city", "Alle Beschäftigten der Stadtverwaltung"],
          ].map(([value, label]) => (
            <label key={value} className="flex items-center gap-2">
              <input
                type="radio"
                name="access"
                value={value}
                checked={access === value}
                disabled={(kind === "direct" && value !== "invited") || (value === "department" && departments.length === 0)}
                onChange={() => setAccess(value!)}
              />
              {label}
            </label>
          ))}
        </div>
        <p className="mt-1 text-sm text-slate-600">Räume sind nie öffentlich. Die Abteilungen kommen aus der zentralen Anmeldung.</p>
        <FieldError id="access-error" error={err.access} />
      </fieldset>
      {access === "department" && kind !== "direct" && (
        <div>
          <label htmlFor="department" className="font-medium">
            Abteilung
          </label>
          <select id="department" name="department" className={inputClass} {...describe("department")}>
            {departments.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
          <FieldError id="department-error" error={err.department} />
        </div>
      )}
      {partners.length > 0 && kind !== "direct" && (
        <fieldset {...describe("partnerIds")}>
          <legend className="font-medium">
            Partnerorganisationen <span className="font-normal text-slate-600">(optional)</span>
          </legend>
          <div className="mt-2 flex flex-col gap-2">
            {partners.map((p) => (
              <label key={p.id} className="flex items-center gap-2">
                <input type="checkbox" name="partnerIds" value={p.id} />
                {p.name}
              </label>
            ))}
          </div>
          <p className="mt-1 text-sm text-slate-600">Nur angekreuzte, freigegebene Partner können dem Raum beitreten; sonst bleibt er in der Stadtverwaltung.</p>
          <FieldError id="partnerIds-error" error={err.partnerIds} />
        </fieldset>
      )}
      <div>
        <button type="submit" disabled={pending} className="rounded-md bg-brand-700 px-5 py-2.5 font-semibold text-white hover:bg-brand-900 disabled:opacity-60">
          {pending ? "Wird angelegt …" : "Raum anlegen"}
        </button>
      </div>
    </form>
  );
}
