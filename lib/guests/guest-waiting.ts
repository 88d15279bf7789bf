/** What the guest's status endpoint answered (`/api/guest/status`). */
export interface GuestStatusAnswer {
  httpStatus: number;
  status?: string;
  ready?: boolean;
}

/**
 * Polls with "admitted" but not yet in the room after which the page
 * reloads anyway: rendering the room page repairs a set-up the admission
 * could not finish, so a guest is never stuck on a stale page.
 */
export const REPAIR_AFTER_POLLS = 3;

/**
 * Whether the guest's waiting page reloads now. It waits while the guest
 * waits, and while the moderator's admission is still joining the guest to
 * the room (reloading then would show a half-set-up room without chat);
 * it reloads once the guest is in the room, when the session has ended
 * (rejected, expired, revoked) or when the set-up needs the page's repair.
 */
export function shouldReload(answer: GuestStatusAnswer, notReadyPolls: number): boolean {
  if (answer.httpStatus === 401) return true;
  if (answer.httpStatus !== 200) return false;
  if (answer.status === "waiting") return false;
  if (answer.status === "admitted" && !answer.ready) return notReadyPolls >= REPAIR_AFTER_POLLS;
  return true;
}
