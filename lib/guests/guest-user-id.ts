import crypto from "node:crypto";

/**
 * Guests live in the application service's exclusive namespace under their
 * own prefix (`@_stadtfunk_guest_…`), which the homeserver module keys its
 * limits on. The localpart is random, so nothing about the guest is in it.
 */
export function guestLocalpartPrefix(userPrefix: string): string {
  return `${userPrefix}guest_`;
}

export function newGuestUserId(userPrefix: string, serverName: string): string {
  return `@${guestLocalpartPrefix(userPrefix)}${crypto.randomBytes(10).toString("hex")}:${serverName}`;
}

export function localpartOf(userId: string): string {
  const m = /^@([^:]+):/.exec(userId);
  if (!m) throw new Error(`not a Matrix user id: ${userId}`);
  return m[1]!;
}

export function isGuestUserId(userId: string, userPrefix: string, serverName: string): boolean {
  return userId.startsWith(`@${guestLocalpartPrefix(userPrefix)}`) && userId.endsWith(`:${serverName}`);
}
