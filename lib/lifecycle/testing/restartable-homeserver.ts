import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { stringify } from "yaml";
import { parseConfig, type AppConfig } from "../../config/load";
import { guestLimitsModule } from "../../homeserver/modules/guest-limits-module";
import { buildSynapseConfig, renderSynapseConfig } from "../../homeserver/synapse-config";
import { SYNAPSE_MODULES_DIR, startSynapse, synapsePaths, type RunningSynapse } from "../../homeserver/synapse-process";
import { createLogger } from "../../log";
import { registerUser } from "../../matrix/admin-register";
import { buildAppserviceRegistration } from "../../matrix/appservice-registration";
import { freePort } from "../../../scripts/stack/ports";

const ROOT = path.resolve(import.meta.dirname, "../../..");

export interface RestartableHomeserver {
  config: AppConfig;
  sharedSecret: string;
  /** Stops Synapse; `start` brings it back on the same data (a restart in two halves). */
  halt(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A throwaway Synapse of its own for the lifecycle tests, with the guest
 * limits loaded as in production, that a test may restart in the middle of a
 * deletion (the shared test homeserver must keep running for the others).
 */
export async function startRestartableHomeserver(): Promise<RestartableHomeserver> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "stadtfunk-lifecycle-hs-"));
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
    PORTAL_URL: "http://portal.stadtfunk.test",
    JITSI_DOMAIN: "meet.stadt.example",
    JITSI_AUTH_MODE: "none",
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
  const launch = () =>
    startSynapse({
      venvDir: path.join(ROOT, ".venv", "synapse"),
      dataDir,
      configYaml,
      appserviceRegistrationYaml: stringify(buildAppserviceRegistration(base)),
      port: hsPort,
      url: homeserverUrl,
      logger: createLogger("synapse", process.env.LOG_LEVEL ?? "error"),
      env: { PYTHONPATH: SYNAPSE_MODULES_DIR },
    });
  let synapse: RunningSynapse;
  try {
    synapse = await launch();
  } catch (err) {
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  const admin = await registerUser({ homeserverUrl, sharedSecret, username: "lifecycle-test-admin", admin: true });
  return {
    config: parseConfig({ ...env, MATRIX_ADMIN_TOKEN: admin.access_token }),
    sharedSecret,
    async halt() {
      await synapse.stop();
    },
    async start() {
      synapse = await launch();
    },
    async stop() {
      await synapse.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
