import { describe, expect, it } from "vitest";
import type { RoomAccess } from "../rooms/room-access";
import { MEETING_EVENT_TYPE } from "../rooms/room-state";
import { meetingChangeInput, meetingTimes } from "./meeting-change-input";
import { canChangeMeeting, mayOfferMeetingChange, meetingChangeLevel } from "./meeting-changes";

const levels = (events: Record<string, number>, stateDefault = 50) => ({
  type: "m.room.power_levels",
  state_key: "",
  sender: "@_stadtfunk_bot:s",
  content: { state_default: stateDefault, events },
});

const access = (powerLevel: number, membership: RoomAccess["membership"], state = [levels({ [MEETING_EVENT_TYPE]: 50 })]): RoomAccess => ({
  roomId: "!r:s",
  userId: "@u:s",
  membership,
  powerLevel,
  isModerator: powerLevel >= 50,
  state,
});

describe("who may change a meeting", () => {
  it("takes the level the room asks for its meeting state event", () => {
    expect(meetingChangeLevel(access(0, "join", [levels({ [MEETING_EVENT_TYPE]: 100 })]))).toBe(100);
    expect(meetingChangeLevel(access(0, "join", [levels({}, 75)]))).toBe(75);
  });

  it("allows joined members at that level, and nobody else", () => {
    expect(canChangeMeeting(access(100, "join"))).toBe(true);
    expect(canChangeMeeting(access(50, "join"))).toBe(true);
    expect(canChangeMeeting(access(0, "join"))).toBe(false);
    expect(canChangeMeeting(access(100, "invite"))).toBe(false);
  });

  it("offers the edit link to an invited organiser, whom opening the room page joins", () => {
    expect(mayOfferMeetingChange(access(100, "invite"))).toBe(true);
    expect(mayOfferMeetingChange(access(100, "join"))).toBe(true);
    expect(mayOfferMeetingChange(access(0, "invite"))).toBe(false);
    expect(mayOfferMeetingChange(access(100, "leave"))).toBe(false);
  });
});

describe("meeting change input", () => {
  it("reads Berlin wall-clock times and refuses an end before the start", () => {
    expect(meetingTimes({ startsAt: "2026-12-01T10:00", endsAt: "2026-12-01T11:00" })).toEqual({
      ok: true,
      startsAt: new Date("2026-12-01T09:00:00Z"),
      endsAt: new Date("2026-12-01T10:00:00Z"),
    });
    expect(meetingTimes({ startsAt: "2026-12-01T10:00", endsAt: "2026-12-01T09:00" })).toEqual({
      ok: false,
      fieldErrors: { endsAt: "Das Ende muss nach dem Beginn liegen." },
    });
  });

  it("refuses malformed changes", () => {
    expect(meetingChangeInput.safeParse({ kind: "add", participantIds: [] }).success).toBe(false);
    expect(meetingChangeInput.safeParse({ kind: "remove", userIds: ["bernd"] }).success).toBe(false);
    expect(meetingChangeInput.safeParse({ kind: "details", name: " " }).success).toBe(false);
    expect(meetingChangeInput.safeParse({ kind: "explode" }).success).toBe(false);
    expect(meetingChangeInput.safeParse({ kind: "cancel" }).success).toBe(true);
  });
});
