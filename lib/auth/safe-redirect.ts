/**
 * Only paths on the portal itself are valid redirect targets after sign-in or
 * sign-out; anything else (other hosts, protocol-relative //evil, javascript:)
 * falls back to the dashboard. Prevents open redirects through callback URLs.
 */
export function safeRedirectPath(target: string | null | undefined, portalUrl: string, fallback = "/"): string {
  if (!target) return fallback;
  let url: URL;
  try {
    url = new URL(target, portalUrl);
  } catch {
    return fallback;
  }
  const base = new URL(portalUrl);
  if (url.origin !== base.origin) return fallback;
  if (!url.pathname.startsWith("/") || url.pathname.startsWith("//")) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
