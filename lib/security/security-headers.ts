/**
 * Security headers for every portal page. The Jitsi origin is the only
 * third party: it may be framed and may use camera, microphone and screen.
 */
export interface SecurityHeaderInput {
  nonce: string;
  jitsiDomain: string;
  homeserverUrl: string;
  /** Sign-out posts a form that redirects to the identity provider's logout. */
  identityProviderUrl: string;
  isDev: boolean;
  /** Only meaningful when the portal itself is served over https. */
  upgradeInsecureRequests: boolean;
}

export function jitsiOrigin(jitsiDomain: string): string {
  return `https://${jitsiDomain}`;
}

export function buildContentSecurityPolicy(i: SecurityHeaderInput): string {
  const jitsi = jitsiOrigin(i.jitsiDomain);
  const homeserver = new URL(i.homeserverUrl).origin;
  const directives: string[] = [
    "default-src 'self'",
    // strict-dynamic: scripts loaded by our nonce'd scripts (Jitsi's external_api.js) are trusted.
    `script-src 'self' 'nonce-${i.nonce}' 'strict-dynamic' ${jitsi}${i.isDev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${i.nonce}'`,
    `img-src 'self' blob: data: ${homeserver}`,
    "font-src 'self'",
    `connect-src 'self' ${homeserver}`,
    `frame-src ${jitsi}`,
    "object-src 'none'",
    "base-uri 'self'",
    `form-action 'self' ${new URL(i.identityProviderUrl).origin}`,
    "frame-ancestors 'none'",
  ];
  if (i.upgradeInsecureRequests) directives.push("upgrade-insecure-requests");
  return directives.join("; ");
}

export function buildPermissionsPolicy(jitsiDomain: string): string {
  const allow = `(self "${jitsiOrigin(jitsiDomain)}")`;
  return [
    `camera=${allow}`,
    `microphone=${allow}`,
    `display-capture=${allow}`,
    `fullscreen=${allow}`,
    "geolocation=()",
    "payment=()",
    "usb=()",
  ].join(", ");
}

/** Headers that do not depend on the request. */
export const STATIC_SECURITY_HEADERS: Record<string, string> = {
  "X-Content-Type-Options": "nosniff",
  // same-origin: no referrer ever leaves the portal, yet form posts keep a real Origin header.
  "Referrer-Policy": "same-origin",
  "X-Frame-Options": "DENY",
  "Cross-Origin-Opener-Policy": "same-origin",
};
