import { startThrowawayHomeserver, type ThrowawayHomeserver } from "../../matrix/testing/throwaway-homeserver";

export type GuestHomeserver = ThrowawayHomeserver;

/** The guest tests' own Synapse with the guest-limits module; Jitsi tokens signed by default. */
export function startGuestHomeserver(opts: { jitsiAuthMode?: "matrix" | "jwt" | "none" } = {}): Promise<GuestHomeserver> {
  return startThrowawayHomeserver("guest", {
    CITY_NAME: "Musterstadt",
    JITSI_AUTH_MODE: opts.jitsiAuthMode ?? "jwt",
    JITSI_APP_SECRET: "j".repeat(40),
  });
}
