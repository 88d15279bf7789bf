/**
 * Where a partner's homeserver answers federation requests: the port in its
 * server name, else Matrix's default 8448. Always https. Partners that
 * delegate with .well-known or SRV records register the name with its port.
 */
export function federationBaseUrl(serverName: string): string {
  return /:\d+$/.test(serverName) ? `https://${serverName}` : `https://${serverName}:8448`;
}
