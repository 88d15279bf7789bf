import { describe, expect, it } from "vitest";
import { DEFAULT_RETENTION_POLICY, retentionPolicySchema } from "./retention-policy";
import { decide, guestEraseDueAt, scheduleFor, type ScheduleInput } from "./retention-schedule";

const DAY = 86_400_000;
const t0 = new Date("2026-03-01T10:00:00Z");
const at = (days: number) => new Date(t0.getTime() + days * DAY);
const policy = DEFAULT_RETENTION_POLICY;

function meeting(retention: Partial<NonNullable<ScheduleInput["retention"]>> | null = null): ScheduleInput {
  return {
    kind: "meeting",
    createdAt: at(-5),
    startsAt: at(-1),
    endsAt: t0,
    lastActivityAt: null,
    retention: retention && { warnedFor: null, warnedAt: null, keptAt: null, postponedDays: null, overrideDays: null, ...retention },
  };
}

function team(lastActivityDays: number | null, retention: Partial<NonNullable<ScheduleInput["retention"]>> | null = null): ScheduleInput {
  return {
    kind: "team",
    createdAt: at(0),
    startsAt: null,
    endsAt: null,
    lastActivityAt: lastActivityDays === null ? null : at(lastActivityDays),
    retention: retention && { warnedFor: null, warnedAt: null, keptAt: null, postponedDays: null, overrideDays: null, ...retention },
  };
}

describe("retention schedule", () => {
  it("deletes a meeting room 30 days after it ended and announces it 7 days before", () => {
    const s = scheduleFor(meeting(), policy);
    expect(s).toMatchObject({ kind: "planned", deleteAt: at(30), warnAt: at(23), basis: "meeting_end" });
    expect(decide(meeting(), policy, at(22)).action).toBe("none");
    expect(decide(meeting(), policy, at(23))).toMatchObject({ action: "warn", announceFor: at(30) });
  });

  it("deletes only after the announced date, and never without an announcement", () => {
    expect(decide(meeting(), policy, at(40))).toMatchObject({ action: "warn", announceFor: at(47) });
    const announced = meeting({ warnedFor: at(30), warnedAt: at(23) });
    expect(decide(announced, policy, at(29)).action).toBe("none");
    expect(decide(announced, policy, at(30)).action).toBe("delete");
  });

  it("posts an announcement whose date was stored but not yet sent, for that same date", () => {
    expect(decide(meeting({ warnedFor: at(30), warnedAt: null }), policy, at(31))).toMatchObject({ action: "warn", announceFor: at(30) });
  });

  it("warns team rooms after 180 inactive days and deletes after 210; activity moves both", () => {
    expect(scheduleFor(team(null), policy)).toMatchObject({ warnAt: at(180), deleteAt: at(210), basis: "inactivity" });
    expect(scheduleFor(team(100), policy)).toMatchObject({ warnAt: at(280), deleteAt: at(310) });
    // Activity after the announcement: the old announcement no longer covers the plan, so nothing is deleted.
    const stale = team(200, { warnedFor: at(210), warnedAt: at(180) });
    expect(decide(stale, policy, at(211)).action).toBe("none");
  });

  it("postponing moves the date by the policy's days and calls for a new announcement", () => {
    const postponed = meeting({ warnedFor: at(30), warnedAt: at(23), postponedDays: 30 });
    expect(scheduleFor(postponed, policy)).toMatchObject({ deleteAt: at(60) });
    expect(decide(postponed, policy, at(31)).action).toBe("none");
    expect(decide(postponed, policy, at(53))).toMatchObject({ action: "warn", announceFor: at(60) });
  });

  it("never deletes a kept room", () => {
    expect(decide(meeting({ keptAt: at(1) }), policy, at(1000)).action).toBe("none");
  });

  it("uses a room's own period when set", () => {
    expect(scheduleFor(meeting({ overrideDays: 90 }), policy)).toMatchObject({ deleteAt: at(90), warnAt: at(83) });
  });

  it("erases guests the set number of days after their access ended", () => {
    expect(guestEraseDueAt(t0, policy)).toEqual(at(policy.guestEraseAfterDays));
  });
});

describe("retention policy validation", () => {
  const valid = { ...DEFAULT_RETENTION_POLICY, messageRetentionDays: "" };

  it("accepts the defaults and reads an empty message retention as none", () => {
    expect(retentionPolicySchema.parse(valid).messageRetentionDays).toBeNull();
  });

  it("refuses invalid values with a message for the field", () => {
    const r = retentionPolicySchema.safeParse({ ...valid, meetingDeleteAfterDays: "0", postponeDays: "x" });
    expect(r.error?.issues.map((i) => i.path[0])).toEqual(["meetingDeleteAfterDays", "postponeDays"]);
    const order = retentionPolicySchema.safeParse({ ...valid, teamDeleteAfterDays: 100 });
    expect(order.error?.issues.map((i) => [i.path[0], i.message])).toEqual([
      ["teamDeleteAfterDays", "Teamräume: die Löschung muss nach der Warnung kommen"],
    ]);
  });
});
