import { aclHost, serverOfUserId } from "./server-names";

/** Server host → organisation name, as the portal passes it to pages and the browser. */
export type PartnerDirectory = Record<string, string>;

/** The directory from partners (any status: a suspended partner's history still names its organisation). */
export function partnerDirectory(partners: readonly { name: string; serverNames: readonly string[] }[]): PartnerDirectory {
  const out: PartnerDirectory = {};
  for (const p of partners) for (const s of p.serverNames) out[aclHost(s)] = p.name;
  return out;
}

/** The organisation of a partner user, or null for our own staff and unknown servers. */
export function partnerOrganisationOf(userId: string, directory: PartnerDirectory, ownServerName: string): string | null {
  const server = serverOfUserId(userId);
  if (!server || aclHost(server) === aclHost(ownServerName)) return null;
  return directory[aclHost(server)] ?? null;
}

/** "Name (Organisation)" wherever a partner user appears: member list, chat senders. */
export function withOrganisation(displayName: string, userId: string, directory: PartnerDirectory, ownServerName: string): string {
  const org = partnerOrganisationOf(userId, directory, ownServerName);
  return org ? `${displayName} (${org})` : displayName;
}
