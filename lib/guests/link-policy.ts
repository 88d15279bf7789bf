/**
 * Pure rules for guest links: default and allowed expiry, use limits, and
 * what a link's state is at a given moment. The clock is always passed in.
 */

/** A meeting's links stay valid this long after its end (late starts, overruns). */
export const MEETING_GRACE_HOURS = 2;
/** Rooms without an end (team rooms): links expire after this many days unless set otherwise. */
export const DEFAULT_LINK_DAYS = 7;
export const MAX_LINK_DAYS = 90;
export const MAX_USES_LIMIT = 500;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The limits admins may change in the usage policy (lib/policy/usage-policy); these constants are its defaults. */
export interface GuestLinkLimits {
  meetingGraceHours: number;
  defaultLinkDays: number;
  maxLinkDays: number;
}

const DEFAULT_LIMITS: GuestLinkLimits = { meetingGraceHours: MEETING_GRACE_HOURS, defaultLinkDays: DEFAULT_LINK_DAYS, maxLinkDays: MAX_LINK_DAYS };

export type LinkStatus = "active" | "used-up" | "expired" | "revoked";

export interface LinkTimes {
  expiresAt: Date;
  revokedAt: Date | null;
  uses: number;
  maxUses: number;
}

/** Meeting end plus the grace period while that lies ahead; otherwise a fixed number of days. */
export function defaultLinkExpiry(room: { endsAt: Date | null }, now: Date, limits: GuestLinkLimits = DEFAULT_LIMITS): Date {
  if (room.endsAt) {
    const afterMeeting = new Date(room.endsAt.getTime() + limits.meetingGraceHours * HOUR);
    if (afterMeeting > now) return afterMeeting;
  }
  return new Date(now.getTime() + limits.defaultLinkDays * DAY);
}

/** Why a requested expiry is not acceptable, or null when it is. */
export function expiryProblem(expiresAt: Date, now: Date, limits: GuestLinkLimits = DEFAULT_LIMITS): string | null {
  if (expiresAt.getTime() <= now.getTime()) return "Der Ablauf muss in der Zukunft liegen.";
  if (expiresAt.getTime() > now.getTime() + limits.maxLinkDays * DAY) {
    return `Ein Gastlink gilt höchstens ${limits.maxLinkDays} Tage.`;
  }
  return null;
}

/** Revocation wins over expiry, expiry over use count. */
export function linkStatus(link: LinkTimes, now: Date): LinkStatus {
  if (link.revokedAt) return "revoked";
  if (link.expiresAt.getTime() <= now.getTime()) return "expired";
  if (link.uses >= link.maxUses) return "used-up";
  return "active";
}

export const LINK_STATUS_LABEL: Record<LinkStatus, string> = {
  active: "gültig",
  "used-up": "aufgebraucht",
  expired: "abgelaufen",
  revoked: "widerrufen",
};
