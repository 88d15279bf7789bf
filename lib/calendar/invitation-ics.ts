import ical, { ICalCalendarMethod, ICalEventStatus } from "ical-generator";
import { CITY_TIME_ZONE, cityWallClock } from "../time/berlin-time";

/**
 * The .ics a mail invitation carries (RFC 5546): METHOD:REQUEST with the
 * meeting's stable UID and a SEQUENCE that grows with every change, so the
 * recipient's calendar updates the one entry; METHOD:CANCEL removes it.
 * Times are written as wall-clock times in Europe/Berlin with the zone's
 * definition, which is how Outlook and Thunderbird show them unchanged.
 */

export interface CalendarInvitation {
  uid: string;
  sequence: number;
  method: "REQUEST" | "CANCEL";
  name: string;
  topic: string;
  startsAt: Date;
  endsAt: Date;
  roomUrl: string;
  organiser: { name: string; email: string | null };
  attendee: { name: string; email: string };
  cityName: string;
  /** DTSTAMP: when this version was written (UTC). */
  stamp: Date;
}

/** Europe/Berlin since 1996 (EU rules: last Sunday of March and of October). */
export const BERLIN_VTIMEZONE = [
  "BEGIN:VTIMEZONE",
  "TZID:Europe/Berlin",
  "BEGIN:DAYLIGHT",
  "TZOFFSETFROM:+0100",
  "TZOFFSETTO:+0200",
  "TZNAME:CEST",
  "DTSTART:19700329T020000",
  "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
  "END:DAYLIGHT",
  "BEGIN:STANDARD",
  "TZOFFSETFROM:+0200",
  "TZOFFSETTO:+0100",
  "TZNAME:CET",
  "DTSTART:19701025T030000",
  "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
  "END:STANDARD",
  "END:VTIMEZONE",
].join("\r\n");

export function invitationIcs(inv: CalendarInvitation): string {
  const cal = ical({
    prodId: { company: "Stadtfunk", product: inv.cityName, language: "DE" },
    method: inv.method === "CANCEL" ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
  });
  cal.timezone({ name: CITY_TIME_ZONE, generator: () => BERLIN_VTIMEZONE });
  cal.createEvent({
    id: inv.uid,
    sequence: inv.sequence,
    // Strings, not Dates: ical-generator writes them as they are under the TZID.
    start: cityWallClock(inv.startsAt),
    end: cityWallClock(inv.endsAt),
    timezone: CITY_TIME_ZONE,
    status: inv.method === "CANCEL" ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    summary: inv.name,
    description: [inv.topic, `Raum und Videokonferenz: ${inv.roomUrl}`].filter(Boolean).join("\n\n"),
    url: inv.roomUrl,
    location: inv.roomUrl,
    organizer: inv.organiser.email ? { name: inv.organiser.name, email: inv.organiser.email } : undefined,
    attendees: [{ name: inv.attendee.name, email: inv.attendee.email, rsvp: inv.method === "REQUEST" }],
  });
  // ical-generator writes DTSTAMP in the calendar's zone; RFC 5545 wants it in UTC.
  const stamp = inv.stamp.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  return cal.toString().replace(/^DTSTAMP:.*$/m, `DTSTAMP:${stamp}`);
}
