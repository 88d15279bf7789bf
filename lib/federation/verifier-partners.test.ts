import { describe, expect, it } from "vitest";
import { verifierDeps } from "../jitsi/conference-access";
import { checkOpenIdToken } from "../jitsi/openid-verifier";
import { federationBaseUrl } from "./federation-url";

const rt = {
  config: { matrix: { serverName: "city.test", homeserverUrl: "http://127.0.0.1:8008" }, jitsi: { verifierToken: "t".repeat(32) } },
  service: { getState: async () => [] },
} as unknown as Parameters<typeof verifierDeps>[0];

describe("the conference verifier and partner homeservers", () => {
  it("asks an approved partner's federation port, and never a server that is not approved", async () => {
    const asked: string[] = [];
    const fetchFn = (async (url: string) => {
      asked.push(url.split("?")[0]!);
      return Response.json({ sub: "@paula:company.test" });
    }) as unknown as typeof fetch;
    const deps = verifierDeps(rt, fetchFn, ["company.test"]);
    expect(await checkOpenIdToken({ access_token: "x", matrix_server_name: "company.test" }, deps)).toEqual({ ok: true, userId: "@paula:company.test" });
    expect(await checkOpenIdToken({ access_token: "x", matrix_server_name: "other.test" }, deps)).toEqual({ ok: false, reason: "server_not_allowed" });
    // Without the partner approved (the live list is empty), the same token is refused without a call.
    expect(await checkOpenIdToken({ access_token: "x", matrix_server_name: "company.test" }, verifierDeps(rt, fetchFn, []))).toEqual({
      ok: false,
      reason: "server_not_allowed",
    });
    expect(asked).toEqual(["https://company.test:8448/_matrix/federation/v1/openid/userinfo"]);
  });

  it("uses the port a server name carries", () => {
    expect(federationBaseUrl("matrix.stadtwerke.example:443")).toBe("https://matrix.stadtwerke.example:443");
    expect(federationBaseUrl("company.test")).toBe("https://company.test:8448");
  });
});
