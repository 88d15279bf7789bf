import { describe, expect, it } from "vitest";
import { cityWallClock } from "../time/berlin-time";
import { invitationIcs, type CalendarInvitation } from "./invitation-ics";

const invitation: CalendarInvitation = {
  uid: "room-1@stadtfunk.test",
  sequence: 3,
  method: "REQUEST",
  name: "Bauausschuss",
  topic: "Punkt 3",
  startsAt: new Date("2026-12-01T09:00:00Z"),
  endsAt: new Date("2026-12-01T10:30:00Z"),
  roomUrl: "https://portal.stadt.example/rooms/%21abc%3Astadt.example",
  organiser: { name: "Anna Admin", email: "anna@stadt.example" },
  attendee: { name: "Bernd Bauer", email: "bernd@stadt.example" },
  cityName: "Musterstadt",
  stamp: new Date("2026-11-25T12:00:00Z"),
};

const unfolded = (ics: string) => ics.replace(/\r\n /g, "");

describe("invitationIcs", () => {
  it("writes a REQUEST with the stable uid, the sequence and Berlin wall-clock times with the zone", () => {
    const ics = unfolded(invitationIcs(invitation));
    expect(ics).toContain("METHOD:REQUEST");
    expect(ics).toContain("UID:room-1@stadtfunk.test");
    expect(ics).toContain("SEQUENCE:3");
    // 09:00 UTC in December is 10:00 in Berlin (CET).
    expect(ics).toContain("DTSTART;TZID=Europe/Berlin:20261201T100000");
    expect(ics).toContain("DTEND;TZID=Europe/Berlin:20261201T113000");
    expect(ics).toContain("BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin");
    expect(ics).toContain("RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU");
    expect(ics).toMatch(/ATTENDEE;.*RSVP=TRUE.*:mailto:bernd@stadt\.example/i);
    expect(ics).toContain("DTSTAMP:20261125T120000Z");
    expect(ics).toMatch(/ORGANIZER;CN="?Anna Admin"?:mailto:anna@stadt\.example/);
    expect(ics).toContain(invitation.roomUrl);
  });

  it("writes a CANCEL for the same uid, marked cancelled", () => {
    const ics = invitationIcs({ ...invitation, method: "CANCEL", sequence: 4 });
    expect(ics).toContain("METHOD:CANCEL");
    expect(ics).toContain("STATUS:CANCELLED");
    expect(ics).toContain("UID:room-1@stadtfunk.test");
    expect(ics).toContain("SEQUENCE:4");
  });

  it("follows daylight saving time", () => {
    expect(cityWallClock(new Date("2026-07-01T08:00:00Z"))).toBe("2026-07-01T10:00:00");
    expect(cityWallClock(new Date("2026-03-29T01:30:00Z"))).toBe("2026-03-29T03:30:00");
  });
});
