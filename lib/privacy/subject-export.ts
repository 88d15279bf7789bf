import { arrayContains, desc, eq, inArray, or, sql } from "drizzle-orm";
import { auditLog, guestLinks, guests, pendingInvitations, portalSessions, rooms, usageRules, type Person } from "../../drizzle/schema";
import { directorySpaceMembers } from "../../drizzle/tables/directory-spaces";
import { invitationDeclines, invitationMails } from "../../drizzle/tables/invitations";
import { floodRestrictions } from "../../drizzle/tables/policy";
import type { Db } from "../db/client";
import { joinedRooms } from "../matrix/admin-devices";
import { accountData, accountDetails, connections, deviceDetails, profile, pushers, uploadedMedia } from "../matrix/admin-data-subject";
import { fromHomeserver, matrixAccountOf, type SubjectDeps } from "./subject-deps";

/**
 * GDPR Art. 15: everything the service holds about one person, from the
 * portal's database and from the homeserver, as one JSON document. Secrets
 * are never part of it: no session ids or their hashes, no tokens (encrypted
 * or not), no guest-link secrets or hashes, no conference names (in the open
 * Jitsi mode they are the access secret), no encryption key material.
 */

export const EXPORT_FORMAT = "stadtfunk.data-subject-export/1";

/** Account-data types that hold (encrypted) key material: left out, named in `omitted`. */
const KEY_MATERIAL = /^(m\.secret_storage|m\.cross_signing|m\.megolm_backup|m\.org\.matrix\.custom\.backup|org\.matrix\.msc.*secret)/;

function withoutKeyMaterial(data: Record<string, unknown>, omitted: string[]): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(data).filter(([type]) => {
      if (!KEY_MATERIAL.test(type)) return true;
      omitted.push(type);
      return false;
    }),
  );
}

/** The lower-cased ways an organiser may have typed this person for an invitation before their first sign-in. */
export function inviteeNames(person: Pick<Person, "username" | "email">): string[] {
  return [person.username, person.email].filter((v): v is string => !!v).map((v) => v.toLowerCase());
}

/** Audit entries naming the person as actor (`person:<id>` or bare) or as subject (id or Matrix id). */
export function auditEntriesAbout(person: Pick<Person, "id">, matrixUserId: string | null) {
  return or(
    inArray(auditLog.actor, [person.id, `person:${person.id}`]),
    inArray(auditLog.subject, [person.id, ...(matrixUserId ? [matrixUserId, `person:${person.id}`] : [`person:${person.id}`])]),
  );
}

async function portalData(db: Db, person: Person, matrixUserId: string | null) {
  const invitee = inviteeNames(person);
  const [sessions, organised, invitedTo, waiting, sent, links, decided, rules, audit, mails, declines, restrictions, spaces] = await Promise.all([
    db
      .select({
        createdAt: portalSessions.createdAt,
        lastSeenAt: portalSessions.lastSeenAt,
        expiresAt: portalSessions.expiresAt,
        revokedAt: portalSessions.revokedAt,
        revokeReason: portalSessions.revokeReason,
        matrixUserId: portalSessions.matrixUserId,
        matrixDeviceId: portalSessions.matrixDeviceId,
      })
      .from(portalSessions)
      .where(eq(portalSessions.personId, person.id))
      .orderBy(desc(portalSessions.createdAt)),
    db
      .select({
        id: rooms.id,
        matrixRoomId: rooms.matrixRoomId,
        kind: rooms.kind,
        name: rooms.name,
        topic: rooms.topic,
        startsAt: rooms.startsAt,
        endsAt: rooms.endsAt,
        access: rooms.access,
        department: rooms.department,
        status: rooms.status,
        createdAt: rooms.createdAt,
      })
      .from(rooms)
      .where(eq(rooms.organiserId, person.id)),
    matrixUserId
      ? db
          .select({ id: rooms.id, matrixRoomId: rooms.matrixRoomId, name: rooms.name, kind: rooms.kind, startsAt: rooms.startsAt, status: rooms.status })
          .from(rooms)
          .where(arrayContains(rooms.invitedUserIds, [matrixUserId]))
      : Promise.resolve([]),
    invitee.length > 0 ? db.select().from(pendingInvitations).where(inArray(pendingInvitations.invitee, invitee)) : Promise.resolve([]),
    // Invitations they sent: the room and time, not the invitee (another person's data).
    db
      .select({ roomId: pendingInvitations.roomId, createdAt: pendingInvitations.createdAt, deliveredAt: pendingInvitations.deliveredAt })
      .from(pendingInvitations)
      .where(eq(pendingInvitations.invitedBy, person.id)),
    db
      .select({
        id: guestLinks.id,
        roomId: guestLinks.roomId,
        label: guestLinks.label,
        expiresAt: guestLinks.expiresAt,
        maxUses: guestLinks.maxUses,
        uses: guestLinks.uses,
        createdAt: guestLinks.createdAt,
        revokedAt: guestLinks.revokedAt,
        createdByThem: sql<boolean>`${guestLinks.createdBy} = ${person.id}`,
      })
      .from(guestLinks)
      .where(or(eq(guestLinks.createdBy, person.id), eq(guestLinks.revokedBy, person.id))),
    // Lobby decisions they made: when and which, not the guest's name.
    db.select({ guestId: guests.id, status: guests.status, decidedAt: guests.decidedAt }).from(guests).where(eq(guests.decidedBy, person.id)),
    db.select({ version: usageRules.version, createdAt: usageRules.createdAt }).from(usageRules).where(eq(usageRules.createdBy, person.id)),
    db.select().from(auditLog).where(auditEntriesAbout(person, matrixUserId)).orderBy(desc(auditLog.at), desc(auditLog.id)),
    db
      .select({
        roomId: invitationMails.roomId,
        method: invitationMails.method,
        recipient: invitationMails.recipient,
        subject: invitationMails.subject,
        createdAt: invitationMails.createdAt,
        sentAt: invitationMails.sentAt,
      })
      .from(invitationMails)
      .where(eq(invitationMails.personId, person.id)),
    matrixUserId ? db.select().from(invitationDeclines).where(eq(invitationDeclines.userId, matrixUserId)) : Promise.resolve([]),
    matrixUserId ? db.select().from(floodRestrictions).where(eq(floodRestrictions.userId, matrixUserId)) : Promise.resolve([]),
    matrixUserId ? db.select().from(directorySpaceMembers).where(eq(directorySpaceMembers.matrixUserId, matrixUserId)) : Promise.resolve([]),
  ]);
  return {
    sessions,
    roomsOrganised: organised,
    roomsInvitedTo: invitedTo,
    invitationsWaitingForFirstSignIn: waiting,
    invitationsSent: sent,
    invitationMails: mails,
    invitationsDeclined: declines,
    guestLinks: links,
    guestDecisions: decided,
    usageRulesPublished: rules,
    floodRestrictions: restrictions,
    directorySpaces: spaces,
    auditEntries: audit,
  };
}

async function homeserverData(deps: SubjectDeps, matrixUserId: string) {
  const ctx = deps.homeserver;
  return fromHomeserver(deps, "export", async () => {
    const account = await accountDetails(ctx, matrixUserId);
    if (!account) return { matrixUserId, account: null, note: "Der Chat-Server kennt dieses Konto nicht (mehr)." };
    const [prof, rooms, devices, whois, media, data, push] = await Promise.all([
      profile(ctx, matrixUserId),
      joinedRooms(ctx, matrixUserId),
      deviceDetails(ctx, matrixUserId),
      connections(ctx, matrixUserId),
      uploadedMedia(ctx, matrixUserId),
      accountData(ctx, matrixUserId),
      pushers(ctx, matrixUserId),
    ]);
    const omitted: string[] = [];
    const settings = data && {
      global: withoutKeyMaterial(data.global, omitted),
      rooms: Object.fromEntries(Object.entries(data.rooms).map(([room, d]) => [room, withoutKeyMaterial(d, omitted)])),
    };
    return {
      matrixUserId,
      account,
      profile: prof,
      joinedRooms: rooms,
      devices,
      connections: whois,
      uploadedMedia: media,
      accountData: settings,
      // The push key addresses one phone's notifications: a credential, left out.
      pushers: push.map(({ pushkey: _pushkey, ...rest }) => rest),
      omitted: [...new Set(omitted)].map((type) => `account data ${type} (encryption key material)`),
    };
  });
}

export type SubjectExport = Awaited<ReturnType<typeof exportPersonData>>;

/** Collects the export; the homeserver part fails as a whole (AppError `homeserver-unavailable`) rather than arrive incomplete. */
export async function exportPersonData(deps: SubjectDeps, person: Person, exportedBy: string) {
  const matrixUserId = await fromHomeserver(deps, "matrix-account", () => matrixAccountOf(deps, person));
  const [portal, homeserver] = await Promise.all([
    portalData(deps.db, person, matrixUserId),
    matrixUserId ? homeserverData(deps, matrixUserId) : Promise.resolve(null),
  ]);
  return {
    format: EXPORT_FORMAT,
    exportedAt: deps.now().toISOString(),
    exportedBy,
    person: {
      id: person.id,
      subject: person.subject,
      username: person.username,
      displayName: person.displayName,
      email: person.email,
      departments: person.departments,
      role: person.role,
      matrixUserId: person.matrixUserId,
      lastSignInAt: person.lastSignInAt,
      disabledAt: person.disabledAt,
      createdAt: person.createdAt,
      updatedAt: person.updatedAt,
    },
    portal,
    homeserver,
    notes: [
      "Nachrichten und Dateien liegen in den Räumen auf dem Chat-Server; die Person sieht sie in ihrem Chat-Programm (Element: Einstellungen → Export). Hochgeladene Dateien sind oben mit ihren Kennungen aufgeführt.",
      "Geheimnisse (Sitzungskennungen, Zugangs- und Push-Schlüssel, Schlüsselmaterial der Verschlüsselung) sind nicht enthalten.",
    ],
  };
}
