import { describe, expect, it } from "vitest";
import { declineNotice, detailsNotice, meetingSpan } from "./notice-texts";

describe("invitation notices", () => {
  it("says where a meeting was moved to, in Berlin time", () => {
    const content = detailsNotice({
      before: { name: "A", topic: "", startsAt: "2026-12-01T09:00:00.000Z", endsAt: "2026-12-01T10:00:00.000Z" },
      after: { name: "A", topic: "", startsAt: "2026-12-02T13:00:00.000Z", endsAt: "2026-12-02T14:30:00.000Z" },
    });
    expect(content).toMatchObject({ msgtype: "m.notice", body: "Besprechung verschoben auf 02.12.2026, 14:00 – 15:30 Uhr." });
  });

  it("names a new name and topic without claiming a move", () => {
    const content = detailsNotice({
      before: { name: "A", topic: "x", startsAt: null, endsAt: null },
      after: { name: "B", topic: "", startsAt: null, endsAt: null },
    });
    expect(content.body).toBe("Neuer Name: B\nDie Beschreibung wurde entfernt.");
  });

  it("spans days when the meeting ends on another day", () => {
    expect(meetingSpan(new Date("2026-12-01T22:00:00Z"), new Date("2026-12-02T01:00:00Z"))).toBe("01.12.2026, 23:00 – 02.12.2026, 02:00 Uhr");
  });

  it("mentions only the organiser on a decline, with escaped names", () => {
    const content = declineNotice({ userId: "@b:s", name: "<b>Bernd" }, { userId: "@o:s", name: "Olga" });
    expect(content["m.mentions"]).toEqual({ user_ids: ["@o:s"] });
    expect(content.body).toBe("Olga: <b>Bernd (@b:s) hat die Einladung abgelehnt.");
    expect(content.formatted_body).toContain("&lt;b&gt;Bernd");
    expect(content.formatted_body).toContain('href="https://matrix.to/#/%40o%3As"');
  });
});
