/** German is the source language; every other language must provide exactly these keys. */
export const de = {
  common: {
    skipToContent: "Zum Inhalt springen",
    overview: "Übersicht",
    toStart: "Zur Startseite",
    signOut: "Abmelden",
    language: "Sprache",
    switchTo: "English",
  },
  home: {
    tagline: "Chat und Videokonferenzen der Stadtverwaltung {city} – betrieben in der eigenen Infrastruktur.",
    signIn: "Mit dem Dienstkonto anmelden",
    redirecting: "Weiterleitung …",
    signInHint: "Sie melden sich mit Ihrem gewohnten Dienstkonto an (Single Sign-on). Ein weiteres Passwort gibt es nicht.",
    welcome: "Willkommen, {name}",
    departments: "Bereiche",
    role: "Rolle",
    roleAdmin: "Administration",
    roleStaff: "Mitarbeiterin / Mitarbeiter",
    matrixAccount: "Matrix-Konto",
    adminPeople: "Verwaltung: Personen und Zugänge",
    connectNow: "Jetzt verbinden",
    myRooms: "Meine Räume und Besprechungen",
    newRoom: "Neuer Raum",
    searchLabel: "Räume durchsuchen",
    search: "Suchen",
    noRooms: "Noch keine Räume.",
    noRoomsFound: "Keine Räume gefunden.",
    calendar: "Kalender",
    calendarFor: "für {name}",
    kinds: { meeting: "Besprechung", team: "Teamraum", direct: "Einzelchat" },
  },
  openRooms: {
    title: "Offene Räume meiner Abteilung",
    intro: "Räume, die für Ihre Abteilung oder die ganze Stadtverwaltung geöffnet sind. Sie können ohne Einladung beitreten.",
    join: "Beitreten",
    joinRoom: "{name} beitreten",
    forDepartment: "Abteilung {department}",
    forCity: "Ganze Stadtverwaltung",
    refused: "Der Beitritt wurde abgelehnt: {reason}",
    reasons: {
      "join-refused": "Der Raum ist nur für Mitglieder einer anderen Abteilung oder nur mit Einladung zugänglich.",
      "room-not-found": "Diesen Raum gibt es nicht.",
      "join-rate-limited": "Zu viele Beitritte in kurzer Zeit. Bitte versuchen Sie es gleich noch einmal.",
      "homeserver-error": "Der Chat-Server ist gerade nicht erreichbar. Bitte versuchen Sie es gleich noch einmal.",
      other: "Bitte laden Sie die Seite neu und versuchen Sie es erneut.",
    },
  },
  noAccess: {
    title: "Kein Zugang zu Stadtfunk",
    notInGroup: "Ihr Dienstkonto gehört zu keiner Gruppe, die Stadtfunk nutzen darf.",
    disabled: "Ihr Konto ist für Stadtfunk gesperrt.",
    contactIt: "Wenden Sie sich bitte an die IT Ihrer Verwaltung, wenn Sie Zugang brauchen.",
  },
  signInFailed: {
    title: "Anmeldung fehlgeschlagen",
    generic: "Die Anmeldung konnte nicht abgeschlossen werden. Bitte versuchen Sie es erneut.",
    AccessDenied: "Ihr Dienstkonto darf Stadtfunk nicht nutzen.",
    "matrix-state": "Die Anmeldung am Chat-Server war nicht mehr gültig. Bitte melden Sie sich erneut an.",
    "matrix-identity": "Das Chat-Konto gehört nicht zur angemeldeten Person. Bitte melden Sie sich erneut an.",
    "matrix-homeserver": "Der Chat-Server hat die Anmeldung nicht angenommen. Bitte versuchen Sie es erneut.",
  },
  forbidden: {
    title: "Kein Zugriff",
    text: "Sie sind nicht Mitglied dieses Raums. Bitten Sie die Person, die den Raum verwaltet, um eine Einladung.",
  },
  room: {
    inviteGuests: "Gäste einladen",
    addToCalendar: "In den Kalender (.ics)",
  },
  retention: {
    planned: "Geplante Löschung dieses Raums: {date}",
    kept: "Dieser Raum wird dauerhaft aufbewahrt.",
    postpone: "Einmalig um {days} Tage verschieben",
    postponed: "Die Löschung ist verschoben.",
    alreadyPostponed: "Die Löschung wurde schon einmal verschoben.",
    deletionRunning: "Der Raum wird gerade gelöscht; das lässt sich nicht mehr aufhalten.",
    notRoomAdmin: "Nur die Raumverwaltung kann die Löschung verschieben.",
    wrongOrigin: "Die Anfrage kam nicht von dieser Seite und wurde abgelehnt.",
  },
  footer: {
    accessibility: "Barrierefreiheit",
  },
  accessibility: {
    title: "Erklärung zur Barrierefreiheit",
    scope: "Diese Erklärung gilt für das Portal Stadtfunk der Stadtverwaltung {city}.",
    status:
      "Das Portal soll die Anforderungen der Barrierefreie-Informationstechnik-Verordnung (BITV 2.0) erfüllen, die auf den Web Content Accessibility Guidelines (WCAG) 2.1 Stufe AA beruht. Jede Seite wird bei jeder Änderung automatisch mit axe auf Verstöße geprüft; Tastaturbedienung, Beschriftungen und Kontraste sind Teil dieser Prüfung.",
    limits:
      "Nicht vollständig barrierefrei sind derzeit: Inhalte, die andere Personen im Chat einstellen (z. B. Bilder ohne Beschreibung), und die eingebettete Videokonferenz, deren Bedienoberfläche von Jitsi stammt.",
    feedbackTitle: "Feedback und Kontakt",
    feedback: "Sind Ihnen Barrieren aufgefallen? Schreiben Sie uns: {contact}. Wir antworten innerhalb von zwei Wochen.",
    enforcementTitle: "Schlichtungsverfahren",
    enforcement:
      "Wenn Sie auf Ihre Rückmeldung keine zufriedenstellende Antwort erhalten, können Sie sich an die Schlichtungsstelle nach dem Behindertengleichstellungsrecht Ihres Landes wenden.",
  },
};

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
export type Messages = Widen<typeof de>;
