import { ADMIN_GROUP } from "../../lib/dev-idp/demo-users";

/** Groups whose members may use the demo service; the demo user in "praktikum" is refused. */
export const DEMO_ALLOWED_GROUPS = [ADMIN_GROUP, "it", "bauamt", "kaemmerei"] as const;
