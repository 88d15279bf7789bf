"use client";

import type { GuestLocale } from "@/lib/guests/guest-texts";
import { guestTexts } from "@/lib/guests/guest-texts";

/** Header of the guest pages: the city, and a language switch that keeps the page as it is. */
export function GuestHeader({ cityName, locale, onLocale }: { cityName: string; locale: GuestLocale; onLocale: (l: GuestLocale) => void }) {
  const other: GuestLocale = locale === "de" ? "en" : "de";
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-2xl flex-wrap items-center justify-between gap-3 px-4 py-3">
        <p className="font-semibold text-brand-900">
          Stadtfunk <span className="font-normal text-slate-600">· {cityName}</span>
        </p>
        <button type="button" lang={other} className="text-sm text-brand-700 underline" onClick={() => onLocale(other)}>
          {guestTexts[locale].switchTo}
        </button>
      </div>
    </header>
  );
}

/** Stored rules text: paragraphs separated by blank lines, line breaks kept. */
export function RulesText({ text }: { text: string }) {
  return (
    <div className="flex flex-col gap-2 text-sm leading-relaxed text-slate-800">
      {text.split(/\n{2,}/).map((p, i) => (
        <p key={i} className="whitespace-pre-line">
          {p}
        </p>
      ))}
    </div>
  );
}
