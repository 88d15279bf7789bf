import { describe, expect, it } from "vitest";
import { buildContentSecurityPolicy, buildPermissionsPolicy } from "./security-headers";

const base = {
  nonce: "abc123",
  jitsiDomain: "meet.stadt.example",
  homeserverUrl: "https://matrix.stadt.example/",
  identityProviderUrl: "https://sso.stadt.example/realms/stadt",
  isDev: false,
  upgradeInsecureRequests: true,
};

function directive(csp: string, name: string): string | undefined {
  return csp.split("; ").find((d) => d.startsWith(`${name} `));
}

describe("content security policy", () => {
  it("frames exactly the configured Jitsi origin and nothing else", () => {
    const csp = buildContentSecurityPolicy(base);
    expect(directive(csp, "frame-src")).toBe("frame-src https://meet.stadt.example");
    expect(directive(csp, "frame-ancestors")).toBe("frame-ancestors 'none'");
  });

  it("allows scripts only from self, the nonce and Jitsi; no eval in production", () => {
    const csp = buildContentSecurityPolicy(base);
    expect(directive(csp, "script-src")).toBe(
      "script-src 'self' 'nonce-abc123' 'strict-dynamic' https://meet.stadt.example",
    );
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).not.toContain("unsafe-inline");
  });

  it("lets the browser talk to the homeserver and nothing third-party", () => {
    const csp = buildContentSecurityPolicy(base);
    expect(directive(csp, "connect-src")).toBe("connect-src 'self' https://matrix.stadt.example");
    expect(directive(csp, "font-src")).toBe("font-src 'self'");
  });

  it("upgrades insecure requests only when asked (https deployments)", () => {
    expect(buildContentSecurityPolicy(base)).toContain("upgrade-insecure-requests");
    expect(buildContentSecurityPolicy({ ...base, upgradeInsecureRequests: false })).not.toContain(
      "upgrade-insecure-requests",
    );
  });
});

describe("form targets", () => {
  it("lets forms go to the portal and to the identity provider's logout only", () => {
    expect(directive(buildContentSecurityPolicy(base), "form-action")).toBe("form-action 'self' https://sso.stadt.example");
  });
});

describe("permissions policy", () => {
  it("grants camera, microphone and screen capture to the portal and Jitsi only", () => {
    const p = buildPermissionsPolicy("meet.stadt.example");
    for (const feature of ["camera", "microphone", "display-capture"]) {
      expect(p).toContain(`${feature}=(self "https://meet.stadt.example")`);
    }
    expect(p).toContain("geolocation=()");
  });
});
