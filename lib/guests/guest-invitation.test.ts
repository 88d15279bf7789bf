import { describe, expect, it } from "vitest";
import { guestInvitationIcs, guestInvitationText, type InvitationInput } from "./guest-invitation";

const input: InvitationInput = {
  cityName: "Musterstadt",
  serverName: "stadt.example",
  room: { name: "Radweg Nord", topic: "", kind: "meeting", startsAt: new Date("2030-03-01T09:00:00Z"), endsAt: new Date("2030-03-01T10:00:00Z") },
  link: { id: "3f0c", expiresAt: new Date("2030-03-01T12:00:00Z"), maxUses: 1, requiresAdmission: false },
  url: "https://stadtfunk.stadt.example/gast#SECRET",
  organiserName: "Olga Organisatorin",
};

describe("guest invitations", () => {
  it("names the meeting, its time in Berlin, the link and its limits", () => {
    const text = guestInvitationText(input);
    expect(text).toContain("Besprechung „Radweg Nord“");
    expect(text).toContain("01.03.2030, 10:00");
    expect(text).toContain(input.url);
    expect(text).toContain("kann einmal verwendet werden");
    expect(text).toContain("English:");
  });

  it("makes an .ics whose link is the guest link, only for meetings with a time", () => {
    const ics = guestInvitationIcs(input)!;
    expect(ics).toContain("SUMMARY:Radweg Nord");
    expect(ics.replace(/\r\n /g, "")).toContain("https://stadtfunk.stadt.example/gast#SECRET");
    expect(guestInvitationIcs({ ...input, room: { ...input.room, startsAt: null, endsAt: null } })).toBeNull();
  });
});
