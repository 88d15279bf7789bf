import { describe, expect, it } from "vitest";
import { cityLocalToDate, formatCityTime } from "./berlin-time";

describe("cityLocalToDate", () => {
  it.each([
    ["2026-11-26T10:00", "2026-11-26T09:00:00.000Z"], // winter, UTC+1
    ["2026-07-01T10:00", "2026-07-01T08:00:00.000Z"], // summer, UTC+2
    ["2026-03-29T03:30", "2026-03-29T01:30:00.000Z"], // just after the spring change
    ["2026-10-25T01:30", "2026-10-24T23:30:00.000Z"],
  ])("%s in Berlin is %s", (local, iso) => {
    expect(cityLocalToDate(local)?.toISOString()).toBe(iso);
  });

  it.each(["2026-02-30T10:00", "26-11-2026 10:00", "", "2026-11-26"])("rejects %j", (bad) => {
    expect(cityLocalToDate(bad)).toBeNull();
  });

  it("formats in Berlin time", () => {
    expect(formatCityTime(new Date("2026-11-26T09:00:00Z"))).toBe("26.11.2026, 10:00");
  });
});
