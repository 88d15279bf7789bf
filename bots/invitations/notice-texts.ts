import type { InvitationJobPayload } from "../../drizzle/tables/invitations";
import { CITY_TIME_ZONE, cityFormatter, formatCityTime } from "../../lib/time/berlin-time";
import { buildNotice, escapeHtml, type MessageContent } from "../shared/replies";

/** What the invitations bot tells a room, in German (the room's shared language). */

const timeOnly = (d: Date) => cityFormatter("de-DE", { timeStyle: "short" }, CITY_TIME_ZONE).format(d);

/** "01.12.2026, 10:00 – 11:00 Uhr" (the end's date only when it differs). */
export function meetingSpan(startsAt: Date, endsAt: Date): string {
  const sameDay = formatCityTime(startsAt).split(",")[0] === formatCityTime(endsAt).split(",")[0];
  return `${formatCityTime(startsAt)} – ${sameDay ? timeOnly(endsAt) : formatCityTime(endsAt)} Uhr`;
}

export function detailsNotice(payload: InvitationJobPayload): MessageContent {
  const { before, after } = payload;
  if (!before || !after) return buildNotice("Die Besprechung wurde geändert.");
  const lines: string[] = [];
  if (after.startsAt && after.endsAt && (after.startsAt !== before.startsAt || after.endsAt !== before.endsAt)) {
    lines.push(`Besprechung verschoben auf ${meetingSpan(new Date(after.startsAt), new Date(after.endsAt))}.`);
  }
  if (after.name !== before.name) lines.push(`Neuer Name: ${after.name}`);
  if (after.topic !== before.topic) lines.push(after.topic ? `Neue Beschreibung: ${after.topic}` : "Die Beschreibung wurde entfernt.");
  if (lines.length === 0) lines.push("Die Besprechung wurde geändert.");
  return buildNotice(lines.join("\n"));
}

export function cancelNotice(name: string): MessageContent {
  return buildNotice(`Die Besprechung „${name}“ wurde abgesagt. Der Raum bleibt zum Nachlesen erhalten.`);
}

export function addedNotice(names: string[]): MessageContent {
  return buildNotice(names.length === 1 ? `${names[0]} wurde eingeladen.` : `Eingeladen: ${names.join(", ")}.`);
}

export function removedNotice(names: string[]): MessageContent {
  return buildNotice(names.length === 1 ? `${names[0]} wurde ausgeladen.` : `Ausgeladen: ${names.join(", ")}.`);
}

/**
 * Tells the organiser in the room, with a mention, so Element highlights it
 * and notifies them (and nobody else: m.mentions names only the organiser).
 */
export function declineNotice(decliner: { userId: string; name: string }, organiser: { userId: string; name: string }): MessageContent {
  const link = (u: { userId: string; name: string }) => `<a href="https://matrix.to/#/${encodeURIComponent(u.userId)}">${escapeHtml(u.name)}</a>`;
  return {
    ...buildNotice(
      `${organiser.name}: ${decliner.name} (${decliner.userId}) hat die Einladung abgelehnt.`,
      `${link(organiser)}: ${escapeHtml(decliner.name)} (${escapeHtml(decliner.userId)}) hat die Einladung abgelehnt.`,
    ),
    "m.mentions": { user_ids: [organiser.userId] },
  };
}
