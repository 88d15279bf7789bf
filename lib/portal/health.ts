import { checkHealth, httpProbe, type HealthReport } from "../health/check-health";
import { pingDb } from "../db/client";
import { portalRuntime } from "./runtime";

export async function portalHealth(): Promise<HealthReport> {
  const { config, dbHandle } = portalRuntime();
  return checkHealth({
    homeserver: httpProbe(`${config.matrix.homeserverUrl}/_matrix/client/versions`),
    database: () => pingDb(dbHandle),
    identityProvider: httpProbe(`${config.oidc.issuer}/.well-known/openid-configuration`),
  });
}
