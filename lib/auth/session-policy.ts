export type SessionState = "active" | "idle" | "expired" | "revoked";

export interface SessionTimes {
  lastSeenAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

/** Whether a portal session may still be used; idle and absolute limits come from the config. */
export function sessionState(s: SessionTimes, now: Date, idleMinutes: number): SessionState {
  if (s.revokedAt) return "revoked";
  if (now >= s.expiresAt) return "expired";
  if (now.getTime() - s.lastSeenAt.getTime() > idleMinutes * 60_000) return "idle";
  return "active";
}

/** Touch the session at most once a minute: one write per page view would be wasted load. */
export function shouldTouch(lastSeenAt: Date, now: Date): boolean {
  return now.getTime() - lastSeenAt.getTime() > 60_000;
}
