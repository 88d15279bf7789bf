import { describe, expect, it } from "vitest";
import { assertTrustedIssuer } from "./issuer-guard";

const serving = (metadata: object) => (async () => Response.json(metadata)) as unknown as typeof fetch;

describe("assertTrustedIssuer", () => {
  it("refuses the demo provider outside demo mode, naming the key", async () => {
    await expect(assertTrustedIssuer("http://idp", false, serving({ stadtfunk_demo_provider: true }))).rejects.toThrow(
      /OIDC_ISSUER: .*STADTFUNK_DEMO=true/,
    );
  });

  it("accepts it in demo mode and accepts real providers always", async () => {
    await expect(assertTrustedIssuer("http://idp", true, serving({ stadtfunk_demo_provider: true }))).resolves.toBeUndefined();
    await expect(assertTrustedIssuer("http://kc", false, serving({ issuer: "http://kc" }))).resolves.toBeUndefined();
  });
});
