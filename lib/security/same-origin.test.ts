import { describe, expect, it } from "vitest";
import { isSameOriginRequest } from "./same-origin";

const portal = "https://stadtfunk.stadt.example";

describe("isSameOriginRequest", () => {
  it.each([
    [{ origin: portal }, true],
    [{ origin: portal, "sec-fetch-site": "same-origin" }, true],
    [{ "sec-fetch-site": "same-origin" }, true],
    [{ origin: "https://evil.example", "sec-fetch-site": "same-origin" }, false],
    [{ origin: "https://evil.example" }, false],
    [{ "sec-fetch-site": "cross-site" }, false],
    [{ origin: "null" }, false],
    [{}, false],
  ])("%j → %s", (h, expected) => {
    expect(isSameOriginRequest(new Headers(h as Record<string, string>), portal)).toBe(expected);
  });
});
