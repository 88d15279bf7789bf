import { describe, expect, it } from "vitest";
import { unreadBadge } from "./unread-badge";

describe("unread badge", () => {
  it("shows nothing without unread messages or outside the room", () => {
    expect(unreadBadge({ membership: "join", total: 0, highlight: 0 })).toBeNull();
    expect(unreadBadge({ membership: "leave", total: 5, highlight: 0 })).toBeNull();
    expect(unreadBadge({ membership: null, total: 5, highlight: 0 })).toBeNull();
  });

  it("counts unread messages and mentions", () => {
    expect(unreadBadge({ membership: "join", total: 1, highlight: 0 })).toEqual({
      label: "1",
      description: "1 ungelesene Nachricht",
      tone: "normal",
    });
    expect(unreadBadge({ membership: "join", total: 3, highlight: 1 })).toEqual({
      label: "3",
      description: "3 ungelesene Nachrichten, davon 1 Erwähnung",
      tone: "highlight",
    });
  });

  it("caps the number and marks invitations", () => {
    expect(unreadBadge({ membership: "join", total: 250, highlight: 0 })?.label).toBe("99+");
    expect(unreadBadge({ membership: "invite", total: 0, highlight: 0 })).toMatchObject({ label: "Einladung", tone: "invite" });
  });
});
