"use client";

import { useActionState } from "react";
import { savePartnerAction, type PartnerFormState } from "./actions";
import { FieldError } from "../../_components/field-error";

const inputClass = "mt-1 block w-full rounded-md border border-slate-400 px-3 py-2 aria-[invalid=true]:border-red-700";

export interface PartnerFormValues {
  partnerId?: string;
  name: string;
  contact: string;
  servers: string;
}

/** New partner, or the edit form of one; field errors come back from the server action. */
export function PartnerForm({ initial, submitLabel }: { initial: PartnerFormValues; submitLabel: string }) {
  const [state, action, pending] = useActionState<PartnerFormState, FormData>(savePartnerAction, {});
  const err = state.fieldErrors ?? {};
  const prefix = initial.partnerId ?? "neu";
  const field = (name: string) =>
    err[name] ? { "aria-invalid": true as const, "aria-describedby": `${prefix}-${name}-error` } : {};
  const error = (name: string) => <FieldError id={`${prefix}-${name}-error`} error={err[name]} />;
  return (
    <form action={action} className="flex flex-col gap-3" noValidate>
      {initial.partnerId ? <input type="hidden" name="partnerId" value={initial.partnerId} /> : null}
      {state.message ? (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-2 text-red-900">
          {state.message}
        </p>
      ) : null}
      <div>
        <label htmlFor={`${prefix}-name`} className="font-medium">Name der Organisation</label>
        <input id={`${prefix}-name`} name="name" defaultValue={initial.name} maxLength={120} className={inputClass} {...field("name")} />
        {error("name")}
      </div>
      <div>
        <label htmlFor={`${prefix}-servers`} className="font-medium">Homeserver-Namen</label>
        <input
          id={`${prefix}-servers`}
          name="servers"
          defaultValue={initial.servers}
          placeholder="matrix.stadtwerke.example"
          className={inputClass}
          {...field("servers")}
        />
        <p className="mt-1 text-sm text-slate-600">DNS-Namen, mehrere durch Komma getrennt, Port optional (Standard 8448). Keine IP-Adressen.</p>
        {error("servers")}
      </div>
      <div>
        <label htmlFor={`${prefix}-contact`} className="font-medium">Kontakt <span className="font-normal text-slate-600">(optional)</span></label>
        <input id={`${prefix}-contact`} name="contact" defaultValue={initial.contact} maxLength={200} className={inputClass} {...field("contact")} />
        {error("contact")}
      </div>
      <div>
        <button type="submit" disabled={pending} className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-900 disabled:opacity-60">
          {submitLabel}
        </button>
      </div>
    </form>
  );
}
