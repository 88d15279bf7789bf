import { cityFormatter as formatter } from "../time/berlin-time";

/** Times in the chat, always in the city's zone (Europe/Berlin), whatever the device's zone. */
export const CHAT_TIME_TEXTS_DE = {
  today: "Heute",
  yesterday: "Gestern",
};
export type ChatTimeTexts = typeof CHAT_TIME_TEXTS_DE;

/** "14:05" */
export function formatMessageTime(ts: number, locale = "de-DE"): string {
  return formatter(locale, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(ts);
}

/** "26.11.2026, 14:05:09", for a tooltip. */
export function formatFullTime(ts: number, locale = "de-DE"): string {
  return formatter(locale, { dateStyle: "medium", timeStyle: "medium" }).format(ts);
}

/** The calendar day in the city's zone, as "2026-11-26"; groups messages by day. */
export function cityDayKey(ts: number): string {
  return formatter("en-CA", { year: "numeric", month: "2-digit", day: "2-digit" }).format(ts);
}

function previousDayKey(dayKey: string): string {
  const [y, m, d] = dayKey.split("-").map(Number) as [number, number, number];
  const prev = new Date(Date.UTC(y, m - 1, d - 1));
  return prev.toISOString().slice(0, 10);
}

/** "Heute", "Gestern" or "Donnerstag, 26. November 2026". */
export function formatDayHeading(ts: number, now: number, locale = "de-DE", texts: ChatTimeTexts = CHAT_TIME_TEXTS_DE): string {
  const day = cityDayKey(ts);
  const today = cityDayKey(now);
  if (day === today) return texts.today;
  if (day === previousDayKey(today)) return texts.yesterday;
  return formatter(locale, { weekday: "long", day: "numeric", month: "long", year: "numeric" }).format(ts);
}
