import type { GuestLink, Room } from "../../drizzle/schema";
import { meetingIcs } from "../calendar/meeting-ics";
import { formatCityTime } from "../time/berlin-time";

export interface InvitationInput {
  cityName: string;
  serverName: string;
  room: Pick<Room, "name" | "topic" | "kind" | "startsAt" | "endsAt">;
  link: Pick<GuestLink, "id" | "expiresAt" | "maxUses" | "requiresAdmission">;
  url: string;
  organiserName: string;
}

/** A ready text the moderator pastes into a mail or chat: German, with an English summary. */
export function guestInvitationText(i: InvitationInput): string {
  const when = i.room.startsAt && i.room.endsAt ? `${formatCityTime(i.room.startsAt)} – ${formatCityTime(i.room.endsAt)}` : null;
  const whenEn = i.room.startsAt && i.room.endsAt ? `${formatCityTime(i.room.startsAt, "en-GB")} – ${formatCityTime(i.room.endsAt, "en-GB")}` : null;
  const lines = [
    "Guten Tag,",
    "",
    `die Stadtverwaltung ${i.cityName} lädt Sie ${i.room.kind === "meeting" ? "zur Besprechung" : "in den Raum"} „${i.room.name}“ ein.`,
    ...(when ? [`Termin: ${when}`] : []),
    "",
    "Teilnehmen können Sie ohne Konto im Browser, auch auf dem Smartphone:",
    i.url,
    "",
    `Der Link ist persönlich, gilt bis ${formatCityTime(i.link.expiresAt)} und ${i.link.maxUses === 1 ? "kann einmal verwendet werden" : `kann ${i.link.maxUses}-mal verwendet werden`}.`,
    ...(i.link.requiresAdmission ? ["Nach dem Beitritt lässt Sie die Moderation herein."] : []),
    "",
    "Mit freundlichen Grüßen",
    i.organiserName,
    "",
    "---",
    `English: the ${i.cityName} city administration invites you to “${i.room.name}”${whenEn ? ` (${whenEn})` : ""}. ` +
      `Join in your browser without an account: ${i.url} (personal link, valid until ${formatCityTime(i.link.expiresAt, "en-GB")}).`,
  ];
  return lines.join("\n");
}

/** The meeting as an .ics file whose link is the guest link; null for rooms without a time. */
export function guestInvitationIcs(i: InvitationInput): string | null {
  if (!i.room.startsAt || !i.room.endsAt) return null;
  return meetingIcs({
    uid: `guest-${i.link.id}@${i.serverName}`,
    name: i.room.name,
    topic: i.room.topic,
    startsAt: i.room.startsAt,
    endsAt: i.room.endsAt,
    roomUrl: i.url,
    organiser: { name: i.organiserName, email: null },
    cityName: i.cityName,
  });
}
