/**
 * Matrix user IDs are `@localpart:server`, where the server may carry a port
 * (`@anna:stadt.test:8448`), so the split is at the first colon.
 */
function split(userId: string): { localpart: string; server: string } | undefined {
  const colon = userId.indexOf(":");
  if (!userId.startsWith("@") || colon < 2 || colon === userId.length - 1) return undefined;
  return { localpart: userId.slice(1, colon), server: userId.slice(colon + 1) };
}

export function localpartOf(userId: string): string | undefined {
  return split(userId)?.localpart;
}

export function serverOf(userId: string): string | undefined {
  return split(userId)?.server;
}
