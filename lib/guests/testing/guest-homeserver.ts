import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { stringify } from "yaml";
import { parseConfig, type AppConfig } from "../../config/load";
import { guestLimitsModule } from "../../homeserver/modules/guest-limits-module";
import { buildSynapseConfig, renderSynapseConfig } from "../../homeserver/synapse-config";
import { SYNAPSE_MODULES_DIR, startSynapse, synapsePaths } from "../../homeserver/synapse-process";
import { createLogger } from "../../log";
import { registerUser } from "../../matrix/admin-register";
import { buildAppserviceRegistration } from "../../matrix/appservice-registration";
import { freePort } from "../../../scripts/stack/ports";

const ROOT = path.resolve(import.meta.dirname, "../../..");

export interface GuestHomeserver {
  config: AppConfig;
  homeserverUrl: string;
  sharedSecret: string;
  stop(): Promise<void>;
}

/**
 * A throwaway Synapse with the guest-limits module loaded, for the guest
 * integration tests (the shared test homeserver runs without it). Nothing
 * listens on the application-service URL: the service only calls the
 * homeserver, and Synapse's pushes to it simply fail.
 */
export async function startGuestHomeserver(opts: { jitsiAuthMode?: "matrix" | "jwt" | "none" } = {}): Promise<GuestHomeserver> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "stadtfunk-guests-hs-"));
  const [hsPort, asPort] = [await freePort(), await freePort()];
  const homeserverUrl = `http://127.0.0.1:${hsPort}`;
  const secret = () => randomBytes(24).toString("base64url");
  const sharedSecret = secret();
  const env = {
    MATRIX_SERVER_NAME: "stadtfunk.test",
    MATRIX_HOMESERVER_URL: homeserverUrl,
    MATRIX_REGISTRATION_SHARED_SECRET: sharedSecret,
    APPSERVICE_URL: `http://127.0.0.1:${asPort}`,
    APPSERVICE_AS_TOKEN: secret(),
    APPSERVICE_HS_TOKEN: secret(),
    AUTH_SECRET: secret(),
    CITY_NAME: "Musterstadt",
    JITSI_DOMAIN: "meet.stadt.example",
    JITSI_AUTH_MODE: opts.jitsiAuthMode ?? "jwt",
    JITSI_APP_SECRET: "j".repeat(40),
  };
  const base = parseConfig(env);
  const paths = synapsePaths(dataDir);
  const configYaml = renderSynapseConfig(
    buildSynapseConfig({
      serverName: base.matrix.serverName,
      publicBaseUrl: homeserverUrl,
      port: hsPort,
      dataDir,
      registrationSharedSecret: sharedSecret,
      appserviceRegistrationPaths: [paths.appserviceRegistration],
      logConfigPath: paths.logConfig,
      bcryptRounds: 4,
      modules: [guestLimitsModule(base)],
    }),
  );
  let synapse;
  try {
    synapse = await startSynapse({
      venvDir: path.join(ROOT, ".venv", "synapse"),
      dataDir,
      configYaml,
      appserviceRegistrationYaml: stringify(buildAppserviceRegistration(base)),
      port: hsPort,
      url: homeserverUrl,
      logger: createLogger("synapse", process.env.LOG_LEVEL ?? "error"),
      env: { PYTHONPATH: SYNAPSE_MODULES_DIR },
    });
  } catch (err) {
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  const admin = await registerUser({ homeserverUrl, sharedSecret, username: "guest-test-admin", admin: true });
  const config = parseConfig({ ...env, MATRIX_ADMIN_TOKEN: admin.access_token });
  const running = synapse;
  return {
    config,
    homeserverUrl,
    sharedSecret,
    async stop() {
      await running.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
