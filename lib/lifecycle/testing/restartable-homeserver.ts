import { startThrowawayHomeserver, type ThrowawayHomeserver } from "../../matrix/testing/throwaway-homeserver";

export type RestartableHomeserver = ThrowawayHomeserver;

/** The lifecycle tests' own Synapse, which a test may restart in the middle of a deletion. */
export function startRestartableHomeserver(): Promise<RestartableHomeserver> {
  return startThrowawayHomeserver("lifecycle", { PORTAL_URL: "http://portal.stadtfunk.test" });
}
