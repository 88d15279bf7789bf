import { formatCityTime } from "../time/berlin-time";

/**
 * The German text of an invitation mail. The .ics carries the calendar
 * entry; the text says the same in words, with the link to the room page
 * (chat and video call) and the time in Europe/Berlin.
 */

export type InvitationMailKind = "invited" | "updated" | "cancelled" | "removed";

export interface InvitationMailFacts {
  kind: InvitationMailKind;
  recipientName: string;
  organiserName: string;
  meetingName: string;
  topic: string;
  startsAt: Date;
  endsAt: Date;
  roomUrl: string;
  cityName: string;
}

export interface MailText {
  subject: string;
  text: string;
}

const SUBJECT_PREFIX: Record<InvitationMailKind, string> = {
  invited: "Einladung",
  updated: "Geändert",
  cancelled: "Abgesagt",
  removed: "Ausgeladen",
};

const LEAD: Record<InvitationMailKind, (f: InvitationMailFacts) => string> = {
  invited: (f) => `${f.organiserName} lädt Sie zur Besprechung „${f.meetingName}“ ein.`,
  updated: (f) => `${f.organiserName} hat die Besprechung „${f.meetingName}“ geändert. Es gilt der folgende Termin.`,
  cancelled: (f) => `${f.organiserName} hat die Besprechung „${f.meetingName}“ abgesagt.`,
  removed: (f) => `${f.organiserName} hat Sie von der Besprechung „${f.meetingName}“ ausgeladen.`,
};

export function invitationMailText(f: InvitationMailFacts): MailText {
  const when = `${formatCityTime(f.startsAt)} – ${formatCityTime(f.endsAt)} Uhr (deutsche Zeit)`;
  const isActive = f.kind === "invited" || f.kind === "updated";
  const lines = [
    `Guten Tag ${f.recipientName},`,
    "",
    LEAD[f.kind](f),
    "",
    `Termin: ${when}`,
    ...(f.topic ? [`Thema: ${f.topic}`] : []),
    "",
    ...(isActive
      ? [
          "Chat und Videokonferenz finden Sie im Stadtfunk-Portal:",
          f.roomUrl,
          "",
          "Der Termin hängt als Kalenderdatei (.ics) an; Ihr Mailprogramm kann ihn in Ihren Kalender übernehmen.",
        ]
      : ["Der Termin wird in Ihrem Kalender entfernt, wenn Sie die angehängte Kalenderdatei (.ics) übernehmen."]),
    "",
    `Stadtfunk – ${f.cityName}`,
    "Diese Nachricht wurde automatisch versandt.",
  ];
  return { subject: `${SUBJECT_PREFIX[f.kind]}: ${f.meetingName} (${formatCityTime(f.startsAt)})`, text: lines.join("\n") };
}
