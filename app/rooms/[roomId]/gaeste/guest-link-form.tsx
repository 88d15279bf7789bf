"use client";

import { useActionState, useEffect, useState } from "react";
import type { GuestLinkFormState } from "./actions";
import { FieldError } from "../../../_components/field-error";

const inputClass = "mt-1 block w-full rounded-md border border-slate-400 px-3 py-2 aria-[invalid=true]:border-red-700";

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="rounded-md border border-slate-400 px-3 py-1.5 text-sm hover:bg-slate-100"
      onClick={() => {
        void navigator.clipboard.writeText(text).then(() => setCopied(true));
      }}
    >
      {copied ? "Kopiert" : label}
    </button>
  );
}

/** Offers the .ics from memory: the link's secret is never stored, so it cannot be fetched later. */
function IcsDownload({ ics }: { ics: string }) {
  const [href, setHref] = useState<string | null>(null);
  useEffect(() => {
    const url = URL.createObjectURL(new Blob([ics], { type: "text/calendar" }));
    setHref(url);
    return () => URL.revokeObjectURL(url);
  }, [ics]);
  return href ? (
    <a href={href} download="einladung.ics" className="text-brand-700 underline">
      Termin mit Gastlink (.ics)
    </a>
  ) : null;
}

/** The created link is shown exactly once, with copy buttons; the page keeps only its hash. */
function CreatedLink({ created }: { created: NonNullable<GuestLinkFormState["created"]> }) {
  return (
    <section aria-labelledby="created-title" className="flex flex-col gap-3 rounded-lg border border-green-300 bg-green-50 p-4" data-testid="created-guest-link">
      <h3 id="created-title" className="font-semibold text-green-900">
        Gastlink erstellt{created.label ? ` für ${created.label}` : ""}
      </h3>
      <p className="text-sm text-green-900">Der Link wird nur jetzt angezeigt. Kopieren Sie ihn und geben Sie ihn nur an die eingeladene Person weiter.</p>
      <div className="flex flex-wrap items-center gap-2">
        <input readOnly value={created.url} aria-label="Gastlink" className="min-w-0 flex-1 rounded-md border border-slate-400 bg-white px-3 py-2 font-mono text-sm" data-testid="guest-link-url" onFocus={(e) => e.currentTarget.select()} />
        <CopyButton text={created.url} label="Link kopieren" />
      </div>
      <figure className="flex flex-col items-start gap-1">
        <img
          src={`data:image/svg+xml;base64,${btoa(created.qrSvg)}`}
          alt="QR-Code des Gastlinks"
          width={192}
          height={192}
          data-testid="guest-link-qr"
          className="rounded border border-slate-300 bg-white"
        />
        <figcaption className="text-sm text-slate-700">Zum Scannen mit dem Telefon</figcaption>
      </figure>
      <details>
        <summary className="cursor-pointer text-sm font-medium">Einladungstext</summary>
        <textarea readOnly value={created.invitation} rows={12} aria-label="Einladungstext" className="mt-2 w-full rounded-md border border-slate-400 bg-white p-2 text-sm" />
        <div className="mt-2 flex flex-wrap items-center gap-4">
          <CopyButton text={created.invitation} label="Text kopieren" />
          {created.ics && <IcsDownload ics={created.ics} />}
        </div>
      </details>
    </section>
  );
}

export function GuestLinkForm({ action, defaultExpiryHint }: { action: (prev: GuestLinkFormState, form: FormData) => Promise<GuestLinkFormState>; defaultExpiryHint: string }) {
  const [state, formAction, pending] = useActionState<GuestLinkFormState, FormData>(action, {});
  const err = state.fieldErrors ?? {};
  const describe = (name: string) => (err[name] ? { "aria-invalid": true, "aria-describedby": `${name}-error` } : {});
  return (
    <div className="flex flex-col gap-4">
      {state.created && <CreatedLink created={state.created} />}
      <form action={formAction} className="flex flex-col gap-4" noValidate>
        {state.message && (
          <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-red-900">
            {state.message}
          </p>
        )}
        <div>
          <label htmlFor="label" className="font-medium">
            Für wen? <span className="font-normal text-slate-600">(optional, nur für Sie sichtbar)</span>
          </label>
          <input id="label" name="label" maxLength={120} className={inputClass} {...describe("label")} />
          <FieldError id="label-error" error={err.label} />
        </div>
        <div className="grid gap-4 sm:grid-cols-2">
          <div>
            <label htmlFor="expiresAt" className="font-medium">
              Gültig bis <span className="font-normal text-slate-600">(optional)</span>
            </label>
            <input id="expiresAt" name="expiresAt" type="datetime-local" className={inputClass} aria-describedby="expiresAt-hint" {...describe("expiresAt")} />
            <p id="expiresAt-hint" className="mt-1 text-sm text-slate-600">
              {defaultExpiryHint}
            </p>
            <FieldError id="expiresAt-error" error={err.expiresAt} />
          </div>
          <div>
            <label htmlFor="maxUses" className="font-medium">
              Wie oft nutzbar?
            </label>
            <input id="maxUses" name="maxUses" type="number" min={1} max={500} defaultValue={1} className={inputClass} {...describe("maxUses")} />
            <FieldError id="maxUses-error" error={err.maxUses} />
          </div>
        </div>
        <label className="flex items-start gap-3">
          <input type="checkbox" name="requiresAdmission" className="mt-1 size-5 shrink-0" />
          <span>Die Moderation muss Gäste einlassen (Warteraum)</span>
        </label>
        <div>
          <button type="submit" disabled={pending} className="rounded-md bg-brand-700 px-5 py-2.5 font-semibold text-white hover:bg-brand-900 disabled:opacity-60">
            {pending ? "Wird erstellt …" : "Gastlink erstellen"}
          </button>
        </div>
      </form>
    </div>
  );
}
