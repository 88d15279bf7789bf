import { ConfigError } from "../config/load";
import { preparePortal } from "./runtime";
import { startTokenRefreshSchedule } from "../auth/token-refresh";
import { startGuestExpiryJob } from "../guests/guest-expiry-job";
import { portalGuests } from "../guests/portal-guests";

// Imported once when the portal server starts: a bad configuration or an
// unreachable database stops it with a readable message and no stack trace.
try {
  await preparePortal();
  // Refreshing the IdP tokens of active sessions is how the portal learns of leavers.
  startTokenRefreshSchedule();
  // Guests whose link or meeting ended are removed from the room and deactivated.
  startGuestExpiryJob(portalGuests().deps);
} catch (err) {
  const message = err instanceof ConfigError ? err.message : `Portal start failed: ${(err as Error).message}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
