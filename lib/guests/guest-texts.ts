/**
 * Texts of the guest pages, German first with an English translation: the
 * guest pages switch language in place (the link secret must not travel
 * through a reload), so they carry both.
 */
export const guestTexts = {
  de: {
    lang: "de",
    switchTo: "English",
    title: "Als Gast teilnehmen",
    loading: "Einladung wird geprüft …",
    invalidTitle: "Dieser Link ist nicht gültig",
    invalidText:
      "Der Link ist unbekannt, abgelaufen, widerrufen oder bereits verwendet. Bitte wenden Sie sich an die Person, die Sie eingeladen hat.",
    missingText: "Bitte öffnen Sie den vollständigen Einladungslink erneut (aus der E-Mail oder Nachricht).",
    rateLimited: "Zu viele ungültige Versuche von Ihrer Verbindung. Bitte warten Sie {seconds} Sekunden.",
    invitedTo: "Die Stadtverwaltung {city} lädt Sie ein:",
    kinds: { meeting: "Besprechung", team: "Raum", direct: "Gespräch" },
    when: "Termin",
    admission: "Die Moderation lässt Sie nach dem Beitritt herein; bis dahin warten Sie in einem Warteraum.",
    rulesTitle: "Nutzungsregeln",
    privacyTitle: "Datenschutzhinweis",
    version: "Fassung {version}",
    translationNote: "",
    nameLabel: "Ihr Anzeigename",
    nameHint: "So sehen Sie die anderen Teilnehmenden, mit dem Zusatz „(Gast)“. Weitere Angaben brauchen wir nicht.",
    accept: "Ich habe die Nutzungsregeln und den Datenschutzhinweis gelesen und akzeptiere die Nutzungsregeln.",
    join: "Teilnehmen",
    joining: "Sie werden angemeldet …",
    continue: "Weiter zum Raum",
    returning: "Sie sind mit diesem Browser bereits als Gast angemeldet.",
    errors: {
      "name-too-short": "Bitte geben Sie einen Namen mit mindestens zwei Zeichen ein.",
      "name-too-long": "Der Name darf höchstens 60 Zeichen lang sein.",
      "rules-not-accepted": "Bitte bestätigen Sie die Nutzungsregeln.",
      "rules-outdated": "Die Nutzungsregeln wurden gerade geändert. Bitte lesen und bestätigen Sie die neue Fassung.",
      "setup-incomplete": "Die Anmeldung am Chat-Server ist noch nicht abgeschlossen. Bitte versuchen Sie es gleich noch einmal.",
      network: "Keine Verbindung. Bitte versuchen Sie es erneut.",
      generic: "Das hat nicht geklappt. Bitte versuchen Sie es erneut.",
    },
    retry: "Erneut versuchen",
    // Room page
    roomGuestNote: "Sie nehmen als Gast teil. Sie sehen nur diesen Raum.",
    chatTitle: "Chat",
    chatLoading: "Der Chat wird geladen …",
    callTitle: "Videokonferenz",
    waitingTitle: "Bitte warten Sie",
    waitingText: "Die Moderation wurde informiert und lässt Sie gleich herein. Diese Seite aktualisiert sich von selbst.",
    rejectedText: "Die Moderation hat Ihre Teilnahme nicht zugelassen.",
    noAccessTitle: "Kein gültiger Gastzugang",
    noAccessText:
      "Ihr Gastzugang ist abgelaufen oder wurde beendet, oder dieser Browser hat keinen. Öffnen Sie bei Bedarf den Einladungslink erneut.",
  },
  en: {
    lang: "en",
    switchTo: "Deutsch",
    title: "Join as a guest",
    loading: "Checking the invitation …",
    invalidTitle: "This link is not valid",
    invalidText: "The link is unknown, has expired, was revoked or has already been used. Please contact the person who invited you.",
    missingText: "Please open the complete invitation link again (from the e-mail or message).",
    rateLimited: "Too many invalid attempts from your connection. Please wait {seconds} seconds.",
    invitedTo: "The {city} city administration invites you:",
    kinds: { meeting: "Meeting", team: "Room", direct: "Conversation" },
    when: "Date",
    admission: "A moderator lets you in after you join; until then you wait in a waiting room.",
    rulesTitle: "Usage rules",
    privacyTitle: "Privacy notice",
    version: "Version {version}",
    translationNote: "Translation; the German text is binding.",
    nameLabel: "Your display name",
    nameHint: "This is how the other participants see you, with the suffix “(Gast)”. We need nothing else from you.",
    accept: "I have read the usage rules and the privacy notice and accept the usage rules.",
    join: "Join",
    joining: "Signing you in …",
    continue: "Continue to the room",
    returning: "You are already signed in as a guest in this browser.",
    errors: {
      "name-too-short": "Please enter a name of at least two characters.",
      "name-too-long": "The name may be at most 60 characters long.",
      "rules-not-accepted": "Please confirm the usage rules.",
      "rules-outdated": "The usage rules have just changed. Please read and confirm the new version.",
      "setup-incomplete": "Signing in at the chat server is not complete yet. Please try again in a moment.",
      network: "No connection. Please try again.",
      generic: "That did not work. Please try again.",
    },
    retry: "Try again",
    roomGuestNote: "You are taking part as a guest. You only see this room.",
    chatTitle: "Chat",
    chatLoading: "Loading the chat …",
    callTitle: "Video meeting",
    waitingTitle: "Please wait",
    waitingText: "The moderators have been told and will let you in shortly. This page updates by itself.",
    rejectedText: "The moderators did not admit you.",
    noAccessTitle: "No valid guest access",
    noAccessText: "Your guest access has expired or was ended, or this browser has none. Open the invitation link again if needed.",
  },
} as const;

export type GuestLocale = keyof typeof guestTexts;
export type GuestTexts = (typeof guestTexts)[GuestLocale];

export function fillText(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
}
