import { describe, expect, it } from "vitest";
import { clientAddress, requestProblem } from "./request-checks";

const PORTAL = "https://stadtfunk.stadt.example";
const h = (o: Record<string, string>) => new Headers(o);

describe("requestProblem (cross-site requests to the guest API)", () => {
  it("accepts the landing page's own JSON post", () => {
    expect(requestProblem(h({ "content-type": "application/json", origin: PORTAL, "sec-fetch-site": "same-origin" }), PORTAL)).toBeNull();
    expect(requestProblem(h({ "content-type": "application/json; charset=utf-8" }), PORTAL)).toBeNull();
  });

  it.each([
    [{ "content-type": "application/json", origin: "https://evil.example" }, "cross-site"],
    [{ "content-type": "application/json", origin: "null" }, "cross-site"],
    [{ "content-type": "application/json", "sec-fetch-site": "cross-site" }, "cross-site"],
    [{ "content-type": "application/json", "sec-fetch-site": "same-site" }, "cross-site"],
    [{ "content-type": "text/plain", origin: PORTAL }, "not-json"],
    [{ "content-type": "application/x-www-form-urlencoded" }, "not-json"],
    [{}, "not-json"],
  ])("refuses %j as %s", (headers, problem) => {
    expect(requestProblem(h(headers), PORTAL)).toBe(problem);
  });
});

describe("clientAddress", () => {
  it("takes the entry the city's proxy appended, not what the client claimed", () => {
    expect(clientAddress(h({ "x-forwarded-for": "1.2.3.4, 10.1.1.7" }))).toBe("10.1.1.7");
    expect(clientAddress(h({ "x-real-ip": "10.1.1.8" }))).toBe("10.1.1.8");
    expect(clientAddress(h({}))).toBe("unknown");
  });
});
