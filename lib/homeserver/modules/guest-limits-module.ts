import type { AppConfig } from "../../config/load";
import { guestLocalpartPrefix } from "../../guests/guest-user-id";
import { GUEST_SUFFIX } from "../../guests/guest-names";
import { botUserId } from "../../matrix/appservice-registration";
import type { SynapseModuleEntry } from "../synapse-config";

/**
 * The `modules:` entry that loads stadtfunk_guest_limits.py: the limits
 * for guest accounts, keyed on the guest prefix inside the service's
 * namespace; only the service's bot may invite guests.
 */
export function guestLimitsModule(cfg: {
  appservice: Pick<AppConfig["appservice"], "userPrefix">;
  matrix: Pick<AppConfig["matrix"], "serverName">;
}): SynapseModuleEntry {
  return {
    module: "stadtfunk_guest_limits.GuestLimits",
    config: {
      guest_prefix: guestLocalpartPrefix(cfg.appservice.userPrefix),
      service_user_id: botUserId(cfg),
      display_name_suffix: GUEST_SUFFIX,
    },
  };
}
