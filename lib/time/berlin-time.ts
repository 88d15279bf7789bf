/** The portal shows and reads times in the city's zone; everything else stores UTC instants. */
export const CITY_TIME_ZONE = "Europe/Berlin";

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * A date formatter for the city's zone (or another), built once per locale and
 * options: building one costs far more than formatting with it, and pages
 * format a time for every room and message.
 */
export function cityFormatter(
  locale: string,
  options: Intl.DateTimeFormatOptions,
  timeZone: string = CITY_TIME_ZONE,
): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    formatters.set(key, f);
  }
  return f;
}

/** "2026-12-01T10:00:00": the instant as wall-clock time in the city's zone (or another), to the second. */
export function cityWallClock(d: Date, timeZone: string = CITY_TIME_ZONE): string {
  const parts = cityFormatter("en-US", {
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }, timeZone).formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "00";
  return `${get("year")}-${get("month")}-${get("day")}T${get("hour")}:${get("minute")}:${get("second")}`;
}

function zoneOffsetMs(instant: number, timeZone: string): number {
  const asUtc = Date.parse(`${cityWallClock(new Date(instant), timeZone)}Z`);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** "2026-11-26T10:00" as wall-clock time in Berlin → the instant; null if malformed. */
export function cityLocalToDate(local: string, timeZone = CITY_TIME_ZONE): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  const check = new Date(wall);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  // Two passes settle the offset around daylight-saving changes.
  let instant = wall - zoneOffsetMs(wall, timeZone);
  instant = wall - zoneOffsetMs(instant, timeZone);
  return new Date(instant);
}

export function formatCityTime(d: Date, locale = "de-DE"): string {
  return cityFormatter(locale, { dateStyle: "medium", timeStyle: "short" }).format(d);
}
