import { describe, expect, it } from "vitest";
import { invitationMailText, type InvitationMailFacts } from "./invitation-mail";

const facts: InvitationMailFacts = {
  kind: "invited",
  recipientName: "Bernd Bauer",
  organiserName: "Anna Admin",
  meetingName: "Bauausschuss",
  topic: "Punkt 3",
  startsAt: new Date("2026-12-01T09:00:00Z"),
  endsAt: new Date("2026-12-01T10:00:00Z"),
  roomUrl: "https://portal.stadt.example/rooms/%21abc%3Astadt.example",
  cityName: "Musterstadt",
};

describe("invitationMailText", () => {
  it("invites in German with the Berlin time and the room link", () => {
    const mail = invitationMailText(facts);
    expect(mail.subject).toBe("Einladung: Bauausschuss (01.12.2026, 10:00)");
    expect(mail.text).toContain("Guten Tag Bernd Bauer,");
    expect(mail.text).toContain("Anna Admin lädt Sie zur Besprechung „Bauausschuss“ ein.");
    expect(mail.text).toContain("Termin: 01.12.2026, 10:00 – 01.12.2026, 11:00 Uhr");
    expect(mail.text).toContain(facts.roomUrl);
  });

  it("names a change and a cancellation, and a cancellation carries no join link", () => {
    expect(invitationMailText({ ...facts, kind: "updated" }).subject).toMatch(/^Geändert: /);
    const cancelled = invitationMailText({ ...facts, kind: "cancelled" });
    expect(cancelled.subject).toMatch(/^Abgesagt: Bauausschuss/);
    expect(cancelled.text).toContain("hat die Besprechung „Bauausschuss“ abgesagt.");
    expect(cancelled.text).not.toContain(facts.roomUrl);
  });
});
