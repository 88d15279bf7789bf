import { formatCityTime } from "../time/berlin-time";
import type { RetentionPolicy } from "./retention-policy";
import type { RoomKind } from "./retention-schedule";

/** The announcement the cleanup bot posts into a room before deleting it (German first, then English). */
export function deletionAnnouncement(opts: {
  kind: RoomKind;
  deleteAt: Date;
  roomUrl: string;
  policy: RetentionPolicy;
  canPostpone: boolean;
}): { body: string; html: string } {
  const de = formatCityTime(opts.deleteAt, "de-DE");
  const en = formatCityTime(opts.deleteAt, "en-GB");
  const whyDe =
    opts.kind === "meeting"
      ? `Besprechungsräume werden ${opts.policy.meetingDeleteAfterDays} Tage nach dem Termin gelöscht.`
      : `Räume ohne Aktivität werden nach ${opts.kind === "team" ? opts.policy.teamDeleteAfterDays : opts.policy.directDeleteAfterDays} Tagen gelöscht.`;
  const whyEn =
    opts.kind === "meeting"
      ? `Meeting rooms are deleted ${opts.policy.meetingDeleteAfterDays} days after the meeting.`
      : `Rooms without activity are deleted after ${opts.kind === "team" ? opts.policy.teamDeleteAfterDays : opts.policy.directDeleteAfterDays} days.`;
  const keepDe = opts.canPostpone
    ? `Die Raumverwaltung kann die Löschung einmal um ${opts.policy.postponeDays} Tage verschieben: ${opts.roomUrl}. Dauerhaft behalten kann den Raum nur die Stadt-Administration (mit Begründung).`
    : `Dauerhaft behalten kann den Raum nur die Stadt-Administration (mit Begründung).`;
  const keepEn = opts.canPostpone
    ? `The room's admins can postpone the deletion once by ${opts.policy.postponeDays} days: ${opts.roomUrl}. Only the city's administrators can keep the room for good (with a reason).`
    : `Only the city's administrators can keep the room for good (with a reason).`;
  const activityDe = opts.kind === "meeting" ? "" : " Neue Nachrichten im Raum verschieben die Löschung ebenfalls.";
  const activityEn = opts.kind === "meeting" ? "" : " New messages in the room postpone the deletion as well.";
  const body =
    `Dieser Raum wird am ${de} mit allen Nachrichten und Dateien gelöscht. ${whyDe} ${keepDe}${activityDe}\n\n` +
    `This room and all its messages and files will be deleted on ${en}. ${whyEn} ${keepEn}${activityEn}`;
  const esc = (t: string) => t.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
  const html = `<p><strong>${esc(`Dieser Raum wird am ${de} gelöscht.`)}</strong> ${esc(`${whyDe} ${keepDe}${activityDe}`)}</p><p>${esc(`This room will be deleted on ${en}. ${whyEn} ${keepEn}${activityEn}`)}</p>`;
  return { body, html };
}

/** The reason written into the audit entry and the report. */
export function deletionReason(kind: RoomKind, policy: RetentionPolicy, periodDays: number): string {
  if (kind === "meeting") return `Besprechung beendet, Frist ${periodDays} Tage (Richtlinie ${policy.version})`;
  return `${kind === "team" ? "Teamraum" : "Direktchat"} ohne Aktivität, Frist ${periodDays} Tage (Richtlinie ${policy.version})`;
}
