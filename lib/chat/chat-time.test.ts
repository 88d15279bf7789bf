import { describe, expect, it } from "vitest";
import { cityDayKey, formatDayHeading, formatFullTime, formatMessageTime } from "./chat-time";

describe("chat times in Europe/Berlin", () => {
  it("formats the time of day in the city's zone, in winter and summer", () => {
    expect(formatMessageTime(Date.UTC(2026, 0, 15, 8, 5))).toBe("09:05");
    expect(formatMessageTime(Date.UTC(2026, 6, 15, 8, 5))).toBe("10:05");
  });

  it("puts a message shortly before midnight UTC on the next day in Berlin", () => {
    expect(cityDayKey(Date.UTC(2026, 10, 26, 23, 30))).toBe("2026-11-27");
  });

  it("names today and yesterday, and other days in full", () => {
    const now = Date.UTC(2026, 10, 26, 12, 0);
    expect(formatDayHeading(Date.UTC(2026, 10, 26, 6, 0), now)).toBe("Heute");
    expect(formatDayHeading(Date.UTC(2026, 10, 25, 6, 0), now)).toBe("Gestern");
    expect(formatDayHeading(Date.UTC(2026, 10, 23, 6, 0), now)).toBe("Montag, 23. November 2026");
  });

  it("handles the first of the month for yesterday", () => {
    const now = Date.UTC(2026, 2, 1, 12, 0);
    expect(formatDayHeading(Date.UTC(2026, 1, 28, 12, 0), now)).toBe("Gestern");
  });

  it("gives a full time for tooltips", () => {
    expect(formatFullTime(Date.UTC(2026, 10, 26, 13, 5, 9))).toBe("26.11.2026, 14:05:09");
  });
});
