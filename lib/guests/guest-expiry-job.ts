import type { GuestDeps } from "./guest-deps";
import { removeDueGuests } from "./guest-removal";

/**
 * Runs removeDueGuests every `intervalMs` (one run at a time): guests whose
 * link or meeting validity ended are removed from the room and their
 * accounts deactivated within a minute. Returns a stop function.
 */
export function startGuestExpiryJob(deps: GuestDeps, intervalMs = 60_000): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const results = await removeDueGuests(deps);
      const failed = results.filter((r) => !r.done).length;
      if (results.length > 0) deps.log.info({ removed: results.length - failed, failed }, "expired guests removed");
    } catch (err) {
      deps.log.warn({ err: (err as Error).message }, "guest expiry run failed; retrying next interval");
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref?.();
  return () => clearInterval(timer);
}
