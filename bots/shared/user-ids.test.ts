import { describe, expect, it } from "vitest";
import { localpartOf, serverOf } from "./user-ids";

describe("user id parts", () => {
  it.each([
    ["@anna:stadt.test", "anna", "stadt.test"],
    ["@anna:stadt.test:8448", "anna", "stadt.test:8448"],
    ["@_stadtfunk_bot:localhost", "_stadtfunk_bot", "localhost"],
  ])("splits %s", (id, localpart, server) => {
    expect(localpartOf(id)).toBe(localpart);
    expect(serverOf(id)).toBe(server);
  });

  it.each(["anna:stadt.test", "@anna", "@:stadt.test", "@anna:", "", "#room:stadt.test"])("rejects %j", (id) => {
    expect(localpartOf(id)).toBeUndefined();
    expect(serverOf(id)).toBeUndefined();
  });
});
