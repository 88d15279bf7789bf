import { describe, expect, it } from "vitest";
import { meetingIcs } from "./meeting-ics";

const meeting = {
  uid: "room-123@stadtfunk.test",
  name: "Bauausschuss; Vorbesprechung",
  topic: "Tagesordnung, Punkt 3",
  startsAt: new Date("2026-12-01T09:00:00Z"),
  endsAt: new Date("2026-12-01T10:00:00Z"),
  roomUrl: "https://stadtfunk.stadt.example/rooms/%21abc%3Astadt.example",
  organiser: { name: "Anna Admin", email: "anna@stadt.example" },
  cityName: "Musterstadt",
};

describe("meetingIcs", () => {
  it("writes one event with exact UTC instants, a stable uid and the room link", () => {
    const ics = meetingIcs(meeting);
    expect(ics).toContain("BEGIN:VCALENDAR");
    expect(ics).toContain("UID:room-123@stadtfunk.test");
    expect(ics).toContain("DTSTART:20261201T090000Z");
    expect(ics).toContain("DTEND:20261201T100000Z");
    expect(ics).toContain("SUMMARY:Bauausschuss\\; Vorbesprechung");
    expect(ics.replace(/\r\n /g, "")).toContain(meeting.roomUrl);
  });

  it("marks cancellations", () => {
    expect(meetingIcs(meeting, "CANCEL")).toContain("METHOD:CANCEL");
  });
});
