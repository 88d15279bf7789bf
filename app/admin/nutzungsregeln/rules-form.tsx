"use client";

import { useActionState } from "react";
import { publishRulesAction, type PublishRulesState } from "./actions";
import { FieldError } from "../../_components/field-error";

const FIELDS = [
  { name: "textDe", label: "Nutzungsregeln (Deutsch)", lang: "de" },
  { name: "textEn", label: "Nutzungsregeln (Englisch)", lang: "en" },
  { name: "privacyDe", label: "Datenschutzhinweis (Deutsch)", lang: "de" },
  { name: "privacyEn", label: "Datenschutzhinweis (Englisch)", lang: "en" },
] as const;

type Texts = Record<(typeof FIELDS)[number]["name"], string>;

export function RulesForm({ current }: { current: Texts }) {
  const [state, action, pending] = useActionState<PublishRulesState, FormData>(publishRulesAction, {});
  const err = state.fieldErrors ?? {};
  // After each answer the fields show the published or the refused texts (a new key makes them take these values).
  const texts = state.texts ?? current;
  return (
    <form key={state.round ?? 0} action={action} className="flex flex-col gap-5" noValidate>
      {state.message && (
        <p role="alert" data-testid="form-message" className="rounded-md border border-red-300 bg-red-50 p-3 text-red-900">
          {state.message}
        </p>
      )}
      {state.published !== undefined && (
        <p role="status" className="rounded-md bg-green-50 p-3 text-green-900">
          Version {state.published} ist veröffentlicht. Gäste stimmen ab sofort dieser Version zu.
        </p>
      )}
      {FIELDS.map((f) => (
        <div key={f.name}>
          <label htmlFor={f.name} className="font-medium">
            {f.label}
          </label>
          <textarea
            id={f.name}
            name={f.name}
            lang={f.lang}
            rows={10}
            defaultValue={texts[f.name]}
            className="mt-1 block w-full rounded-md border border-slate-400 px-3 py-2 font-mono text-sm aria-[invalid=true]:border-red-700"
            {...(err[f.name] ? { "aria-invalid": true, "aria-describedby": `${f.name}-error` } : {})}
          />
          <FieldError id={`${f.name}-error`} error={err[f.name]} />
        </div>
      ))}
      <button
        type="submit"
        disabled={pending}
        className="self-start rounded-md bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-900 disabled:opacity-60"
      >
        {pending ? "Wird veröffentlicht …" : "Als neue Version veröffentlichen"}
      </button>
    </form>
  );
}
