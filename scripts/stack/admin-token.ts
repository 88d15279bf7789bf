import crypto from "node:crypto";
import type { AppConfig } from "../../lib/config/load";
import { registerUser } from "../../lib/matrix/admin-register";
import { storeDemoSecret } from "./demo-secrets";

/**
 * The demo stack's homeserver admin token: created once through the
 * shared-secret registration and kept in the demo secrets file. The random
 * suffix keeps it clear of any name the identity provider could hand out.
 */
export async function ensureDemoAdminToken(config: AppConfig): Promise<string> {
  if (config.matrix.adminToken) return config.matrix.adminToken;
  const login = await registerUser({
    homeserverUrl: config.matrix.homeserverUrl,
    sharedSecret: config.matrix.registrationSharedSecret,
    username: `stadtfunk-service-${crypto.randomBytes(4).toString("hex")}`,
    password: crypto.randomBytes(24).toString("base64url"),
    admin: true,
    displayname: "Stadtfunk Service",
  });
  storeDemoSecret(config.dataDir, "MATRIX_ADMIN_TOKEN", login.access_token);
  return login.access_token;
}
