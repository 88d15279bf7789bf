import { de, type Messages } from "./messages-de";
import { en } from "./messages-en";

export const LOCALES = ["de", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "de";
export const LOCALE_COOKIE = "stadtfunk-lang";

const catalogues: Record<Locale, Messages> = { de, en };

export function isLocale(v: unknown): v is Locale {
  return typeof v === "string" && (LOCALES as readonly string[]).includes(v);
}

/** The BCP 47 tag date and number formatting use for each language. */
export function localeTag(locale: Locale): string {
  return locale === "de" ? "de-DE" : "en-GB";
}

export function messagesFor(locale: Locale): Messages {
  return catalogues[locale];
}

/** Fills {placeholders}; values are inserted as text (React escapes them when rendered). */
export function fill(template: string, values: Record<string, string> = {}): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => values[k] ?? m);
}
