import { describe, expect, it } from "vitest";
import { describeMembership, type MembershipChange } from "./membership-text";

const base: MembershipChange = {
  sender: "@b:s",
  senderName: "Bernd",
  target: "@b:s",
  targetName: "Bernd",
  membership: "join",
  prevMembership: undefined,
  displayName: "Bernd",
  prevDisplayName: undefined,
};
const by = { sender: "@a:s", senderName: "Anna" };

describe("membership sentences", () => {
  it.each<[string, Partial<MembershipChange>, string | null]>([
    ["join", {}, "Bernd ist beigetreten"],
    ["join after invite", { prevMembership: "invite" }, "Bernd ist beigetreten"],
    ["rename", { prevMembership: "join", prevDisplayName: "B.", displayName: "Bernd" }, "B. heißt jetzt Bernd"],
    ["avatar only", { prevMembership: "join", prevDisplayName: "Bernd" }, null],
    ["invite", { ...by, membership: "invite" }, "Anna hat Bernd eingeladen"],
    ["leave", { membership: "leave", prevMembership: "join" }, "Bernd hat den Raum verlassen"],
    ["decline", { membership: "leave", prevMembership: "invite" }, "Bernd hat die Einladung abgelehnt"],
    ["withdraw", { ...by, membership: "leave", prevMembership: "invite" }, "Anna hat die Einladung für Bernd zurückgezogen"],
    ["kick", { ...by, membership: "leave", prevMembership: "join" }, "Anna hat Bernd aus dem Raum entfernt"],
    ["ban", { ...by, membership: "ban" }, "Anna hat Bernd gesperrt"],
    ["unban", { ...by, membership: "leave", prevMembership: "ban" }, "Anna hat die Sperre für Bernd aufgehoben"],
    ["knock", { membership: "knock" }, "Bernd bittet um Zutritt"],
    ["unknown", { membership: 42 }, null],
  ])("%s", (_name, change, expected) => {
    expect(describeMembership({ ...base, ...change })).toBe(expected);
  });
});
