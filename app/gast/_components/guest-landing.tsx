"use client";

import { cityFormatter } from "@/lib/time/berlin-time";
import { useCallback, useEffect, useRef, useState } from "react";
import { LOCALE_COOKIE, localeTag } from "@/lib/i18n/translate";
import { fillText, guestTexts, type GuestLocale, type GuestTexts } from "@/lib/guests/guest-texts";
import { GuestHeader, RulesText } from "./guest-header";

interface LinkDetails {
  cityName: string;
  room: { name: string; kind: "meeting" | "team" | "direct"; startsAt: string | null; endsAt: string | null };
  requiresAdmission: boolean;
  rules: { version: number; de: { rules: string; privacy: string }; en: { rules: string; privacy: string } };
  returning: boolean;
}

type Phase =
  | { name: "loading" }
  | { name: "missing" }
  | { name: "invalid" }
  | { name: "limited"; seconds: number }
  | { name: "failed" }
  | { name: "form"; details: LinkDetails };

type ErrorCode = keyof GuestTexts["errors"];

const inputClass = "mt-1 block w-full rounded-md border border-slate-400 px-3 py-2 text-base aria-[invalid=true]:border-red-700";

async function postJson(path: string, body: unknown): Promise<{ status: number; data: Record<string, unknown> }> {
  const res = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
    credentials: "same-origin",
    cache: "no-store",
  });
  return { status: res.status, data: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

function formatRange(startsAt: string | null, endsAt: string | null, locale: GuestLocale): string | null {
  if (!startsAt) return null;
  const fmt = cityFormatter(localeTag(locale), { dateStyle: "full", timeStyle: "short" });
  const time = cityFormatter(localeTag(locale), { timeStyle: "short" });
  return endsAt ? `${fmt.format(new Date(startsAt))} – ${time.format(new Date(endsAt))}` : fmt.format(new Date(startsAt));
}

/**
 * The guest's way in: reads the secret from the fragment once, removes it
 * from the address bar (history.replaceState), looks the link up, shows the
 * rules and privacy notice, and redeems with the chosen name.
 */
export function GuestLanding({ cityName, initialLocale }: { cityName: string; initialLocale: GuestLocale }) {
  const [locale, setLocale] = useState<GuestLocale>(initialLocale);
  const [phase, setPhase] = useState<Phase>({ name: "loading" });
  const [name, setName] = useState("");
  const [accepted, setAccepted] = useState(false);
  const [error, setError] = useState<ErrorCode | null>(null);
  const [busy, setBusy] = useState(false);
  const secret = useRef<string | null>(null);
  const t = guestTexts[locale];

  const lookUp = useCallback(async () => {
    if (!secret.current) return setPhase({ name: "missing" });
    setPhase({ name: "loading" });
    try {
      const { status, data } = await postJson("/api/guest/look-up", { secret: secret.current });
      if (status === 200) return setPhase({ name: "form", details: data as unknown as LinkDetails });
      if (status === 429) return setPhase({ name: "limited", seconds: Number(data.retryAfter) || 10 });
      if (status === 404) return setPhase({ name: "invalid" });
      setPhase({ name: "failed" });
    } catch {
      setPhase({ name: "failed" });
    }
  }, []);

  useEffect(() => {
    // Read once (React may run effects twice in development), then clean the address bar.
    if (secret.current === null) {
      secret.current = window.location.hash.replace(/^#/, "");
      if (window.location.hash) window.history.replaceState(null, "", window.location.pathname);
    }
    void lookUp();
  }, [lookUp]);

  const chooseLocale = useCallback((l: GuestLocale) => {
    setLocale(l);
    document.documentElement.lang = l;
    // The same choice the language switch of the other pages stores, so the room page follows it.
    document.cookie = `${LOCALE_COOKIE}=${l}; path=/; max-age=${365 * 24 * 3600}; samesite=lax`;
  }, []);

  async function redeem(details: LinkDetails) {
    if (!accepted) return setError("rules-not-accepted");
    setBusy(true);
    setError(null);
    try {
      const { status, data } = await postJson("/api/guest/redeem", {
        secret: secret.current,
        displayName: name,
        acceptRules: accepted,
        rulesVersion: details.rules.version,
      });
      if (status === 200 && typeof data.next === "string") {
        window.location.assign(data.next);
        return;
      }
      if (status === 404) return setPhase({ name: "invalid" });
      if (status === 429) return setPhase({ name: "limited", seconds: Number(data.retryAfter) || 10 });
      const code = String(data.error ?? "generic");
      if (code === "rules-outdated") await lookUp();
      setError(code in t.errors ? (code as ErrorCode) : "generic");
    } catch {
      setError("network");
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <GuestHeader cityName={cityName} locale={locale} onLocale={chooseLocale} />
      <main id="main" lang={locale} className="mx-auto flex max-w-2xl flex-col gap-6 px-4 py-8">
        <h1 className="text-2xl font-bold text-brand-900">{t.title}</h1>
        {phase.name === "loading" && <p role="status">{t.loading}</p>}
        {(phase.name === "invalid" || phase.name === "missing") && (
          <section aria-labelledby="invalid-title" className="flex flex-col gap-2" data-testid="guest-link-invalid">
            <h2 id="invalid-title" className="text-xl font-semibold">
              {t.invalidTitle}
            </h2>
            <p>{phase.name === "missing" ? t.missingText : t.invalidText}</p>
          </section>
        )}
        {phase.name === "limited" && <p role="alert">{fillText(t.rateLimited, { seconds: phase.seconds })}</p>}
        {phase.name === "failed" && (
          <div className="flex flex-col items-start gap-2">
            <p role="alert">{t.errors.network}</p>
            <button type="button" className="rounded-md border border-slate-400 px-4 py-2" onClick={() => void lookUp()}>
              {t.retry}
            </button>
          </div>
        )}
        {phase.name === "form" && (
          <GuestForm
            t={t}
            locale={locale}
            details={phase.details}
            name={name}
            setName={setName}
            accepted={accepted}
            setAccepted={setAccepted}
            error={error}
            busy={busy}
            onSubmit={() => void redeem(phase.details)}
          />
        )}
      </main>
    </>
  );
}

interface GuestFormProps {
  t: GuestTexts;
  locale: GuestLocale;
  details: LinkDetails;
  name: string;
  setName: (v: string) => void;
  accepted: boolean;
  setAccepted: (v: boolean) => void;
  error: ErrorCode | null;
  busy: boolean;
  onSubmit: () => void;
}

function GuestForm({ t, locale, details, name, setName, accepted, setAccepted, error, busy, onSubmit }: GuestFormProps) {
  const when = formatRange(details.room.startsAt, details.room.endsAt, locale);
  const texts = details.rules[locale];
  const nameError = error === "name-too-short" || error === "name-too-long";
  return (
    <>
      <section aria-labelledby="room-title" className="rounded-lg border border-slate-200 bg-white p-4">
        <p className="text-slate-700">{fillText(t.invitedTo, { city: details.cityName })}</p>
        <h2 id="room-title" className="mt-1 text-xl font-semibold text-brand-900">
          {t.kinds[details.room.kind]}: {details.room.name}
        </h2>
        {when && (
          <p className="mt-1 text-slate-700">
            {t.when}: {when}
          </p>
        )}
        {details.requiresAdmission && <p className="mt-2 text-slate-700">{t.admission}</p>}
      </section>

      {details.returning ? (
        <div className="flex flex-col items-start gap-3">
          <p>{t.returning}</p>
          <a href="/gast/raum" className="rounded-md bg-brand-700 px-5 py-2.5 font-semibold text-white hover:bg-brand-900">
            {t.continue}
          </a>
        </div>
      ) : (
        <form
          className="flex flex-col gap-5"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            onSubmit();
          }}
        >
          <details className="rounded-lg border border-slate-200 bg-white p-4" open>
            <summary className="cursor-pointer font-semibold">
              {t.rulesTitle} <span className="font-normal text-slate-600">({fillText(t.version, { version: details.rules.version })})</span>
            </summary>
            <div className="mt-3 max-h-72 overflow-y-auto" tabIndex={0} data-testid="usage-rules">
              {t.translationNote && <p className="mb-2 text-sm italic text-slate-600">{t.translationNote}</p>}
              <RulesText text={texts.rules} />
            </div>
          </details>
          <details className="rounded-lg border border-slate-200 bg-white p-4">
            <summary className="cursor-pointer font-semibold">{t.privacyTitle}</summary>
            <div className="mt-3 max-h-72 overflow-y-auto" tabIndex={0} data-testid="privacy-notice">
              <RulesText text={texts.privacy} />
            </div>
          </details>

          <div>
            <label htmlFor="guest-name" className="font-medium">
              {t.nameLabel}
            </label>
            <input
              id="guest-name"
              name="displayName"
              autoComplete="nickname"
              maxLength={60}
              required
              value={name}
              onChange={(e) => setName(e.target.value)}
              className={inputClass}
              aria-invalid={nameError}
              aria-describedby="guest-name-hint"
            />
            <p id="guest-name-hint" className="mt-1 text-sm text-slate-600">
              {t.nameHint}
            </p>
          </div>
          <label className="flex items-start gap-3">
            <input type="checkbox" className="mt-1 size-5 shrink-0" checked={accepted} onChange={(e) => setAccepted(e.target.checked)} required />
            <span>{t.accept}</span>
          </label>
          {error && (
            <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-red-900">
              {t.errors[error]}
            </p>
          )}
          <div>
            <button
              type="submit"
              disabled={busy}
              className="w-full rounded-md bg-brand-700 px-5 py-3 font-semibold text-white hover:bg-brand-900 disabled:opacity-60 sm:w-auto"
            >
              {busy ? t.joining : error === "setup-incomplete" ? t.retry : t.join}
            </button>
          </div>
        </form>
      )}
    </>
  );
}
