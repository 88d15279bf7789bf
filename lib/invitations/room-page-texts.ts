import type { Locale } from "../i18n/translate";

/**
 * The room page's invitation lines, German first with English. Kept here
 * with the feature; they move into lib/i18n's catalogues once those are
 * free to change.
 */
const TEXTS = {
  de: {
    cancelled: (when: string) => `Diese Besprechung wurde abgesagt (${when}).`,
    declined: (names: string) => `Einladung abgelehnt: ${names}`,
    edit: "Raum bearbeiten (Teilnehmende, Termin, Absage)",
  },
  en: {
    cancelled: (when: string) => `This meeting was cancelled (${when}).`,
    declined: (names: string) => `Invitation declined: ${names}`,
    edit: "Edit room (participants, time, cancellation)",
  },
} satisfies Record<Locale, unknown>;

export function roomInvitationTexts(locale: Locale) {
  return TEXTS[locale];
}
