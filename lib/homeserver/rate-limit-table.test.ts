import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { withRateLimitTable } from "./rate-limit-table";

describe("README rate-limit table", () => {
  it("matches the limits the generated homeserver config uses (run scripts/render-readme.ts to update)", () => {
    const readme = fs.readFileSync(path.resolve(import.meta.dirname, "../../README.md"), "utf8");
    expect(withRateLimitTable(readme)).toBe(readme);
  });
});
