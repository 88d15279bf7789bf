import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { buildSynapseConfig, renderSynapseConfig } from "../../lib/homeserver/synapse-config";
import { startSynapse, synapsePaths } from "../../lib/homeserver/synapse-process";
import type { Logger } from "../../lib/log";
import { freePort } from "../../scripts/stack/ports";
import { realmClient, type RunningKeycloak } from "../setup/keycloak";

const ROOT = path.resolve(import.meta.dirname, "../..");

export interface KeycloakSynapse {
  url: string;
  serverName: string;
  registrationSharedSecret: string;
  /** Synapse's id for the provider: `oidc-` + the project's idp_id. */
  idpId: string;
  /** In sso.client_whitelist: Synapse redirects there without a confirmation page. */
  portalUrl: string;
  stop(): Promise<void>;
}

async function installSynapse(): Promise<void> {
  try {
    await promisify(execFile)("bash", [path.join(ROOT, "scripts", "install-synapse.sh")], {
      cwd: ROOT,
      timeout: 15 * 60_000,
    });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`scripts/install-synapse.sh failed:\n${e.stdout ?? ""}${e.stderr ?? e.message}`);
  }
}

/**
 * A throwaway Synapse whose homeserver.yaml comes from the project's own
 * buildSynapseConfig, pointed at Keycloak's stadtfunk realm with the
 * stadtfunk-synapse client: the production wiring, only on loopback.
 */
export async function startSynapseForKeycloak(
  kc: RunningKeycloak,
  opts: { serverName: string; allowedGroups?: string[]; logger: Logger },
): Promise<KeycloakSynapse> {
  await installSynapse();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "stadtfunk-synapse-kc-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const portalUrl = `http://127.0.0.1:${await freePort()}`;
  const registrationSharedSecret = randomBytes(24).toString("base64url");
  const paths = synapsePaths(dataDir);
  const { clientId, clientSecret } = realmClient("stadtfunk-synapse");

  const configYaml = renderSynapseConfig(
    buildSynapseConfig({
      serverName: opts.serverName,
      publicBaseUrl: url,
      port,
      dataDir,
      registrationSharedSecret,
      oidc: {
        issuer: kc.issuer,
        clientId,
        clientSecret,
        scopes: ["openid", "profile", "email"],
        subjectClaim: "sub",
        groupsClaim: "groups",
        allowedGroups: opts.allowedGroups,
      },
      ssoClientWhitelist: [portalUrl],
      logConfigPath: paths.logConfig,
      bcryptRounds: 4,
    }),
  );
  try {
    const synapse = await startSynapse({ venvDir: path.join(ROOT, ".venv", "synapse"), dataDir, configYaml, port, url, logger: opts.logger });
    return {
      url,
      serverName: opts.serverName,
      registrationSharedSecret,
      idpId: "oidc-stadtfunk",
      portalUrl,
      stop: async () => {
        await synapse.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
}
