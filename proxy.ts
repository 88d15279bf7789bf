import { NextResponse, type NextRequest } from "next/server";
import { loadConfig } from "./lib/config/load";
import {
  STATIC_SECURITY_HEADERS,
  buildContentSecurityPolicy,
  buildPermissionsPolicy,
} from "./lib/security/security-headers";

/** Sets a per-request CSP nonce (Next applies it to its own scripts) and the security headers. */
export function proxy(request: NextRequest) {
  const config = loadConfig();
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const csp = buildContentSecurityPolicy({
    nonce,
    jitsiDomain: config.jitsi.domain,
    homeserverUrl: config.matrix.homeserverUrl,
    identityProviderUrl: config.oidc.issuer,
    isDev: config.isDevelopment,
    upgradeInsecureRequests: config.portal.url.startsWith("https:"),
  });

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);

  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  response.headers.set("Permissions-Policy", buildPermissionsPolicy(config.jitsi.domain));
  for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) response.headers.set(name, value);
  return response;
}

export const config = {
  matcher: [
    {
      source: "/((?!_next/static|_next/image|favicon.ico).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
