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
    addToCalendar: "In den Kalender (.ics)",
  },
};

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
export type Messages = Widen<typeof de>;
