import ical, { ICalCalendarMethod } from "ical-generator";

export interface MeetingForCalendar {
  /** Stable per meeting, so calendars update instead of duplicating. */
  uid: string;
  name: string;
  topic: string;
  startsAt: Date;
  endsAt: Date;
  roomUrl: string;
  organiser: { name: string; email: string | null };
  cityName: string;
  /** Bumped when the meeting changes; calendars keep the highest. */
  sequence?: number;
}

/** An .ics file for one meeting (REQUEST, or CANCEL when it was called off). */
export function meetingIcs(m: MeetingForCalendar, method: "REQUEST" | "CANCEL" | "PUBLISH" = "PUBLISH"): string {
  const cal = ical({
    prodId: { company: "Stadtfunk", product: m.cityName, language: "DE" },
    method: ICalCalendarMethod[method],
  });
  cal.createEvent({
    id: m.uid,
    sequence: m.sequence ?? 0,
    start: m.startsAt,
    // UTC instants: every calendar converts them; a TZID would need a VTIMEZONE block to be right.
    end: m.endsAt,
    summary: m.name,
    description: [m.topic, `Raum und Videokonferenz: ${m.roomUrl}`].filter(Boolean).join("\n\n"),
    url: m.roomUrl,
    location: m.roomUrl,
    organizer: m.organiser.email ? { name: m.organiser.name, email: m.organiser.email } : undefined,
  });
  return cal.toString();
}
