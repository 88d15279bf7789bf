import { aclHost } from "./server-names";

/** The `m.room.server_acl` content of a managed room. */
export interface ServerAclContent {
  allow: string[];
  deny: string[];
  allow_ip_literals: false;
}

/**
 * Our own server plus the approved partners this room is opened to, as bare
 * host names (ACLs ignore ports), nothing denied explicitly: whatever is not
 * allowed is refused, IP literals included.
 */
export function desiredServerAcl(ownServerName: string, partnerServerNames: readonly string[]): ServerAclContent {
  const own = aclHost(ownServerName);
  // Synapse refuses an ACL that does not match its own *full* name, port included.
  const ownNames = ownServerName.toLowerCase() === own ? [own] : [own, ownServerName.toLowerCase()];
  const partners = [...new Set(partnerServerNames.map(aclHost))].filter((h) => h !== own).sort();
  return { allow: [...ownNames, ...partners], deny: [], allow_ip_literals: false };
}

/** True when the room's current ACL is exactly the wanted one (no extra keys, same order). */
export function isAclExactly(current: Record<string, unknown> | null | undefined, wanted: ServerAclContent): boolean {
  if (!current) return false;
  const keys = Object.keys(current).sort();
  if (keys.join(",") !== "allow,allow_ip_literals,deny") return false;
  const same = (a: unknown, b: string[]) => Array.isArray(a) && a.length === b.length && a.every((v, i) => v === b[i]);
  return current.allow_ip_literals === false && same(current.allow, wanted.allow) && same(current.deny, wanted.deny);
}
