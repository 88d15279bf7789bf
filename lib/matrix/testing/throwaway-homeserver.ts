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
import { buildAppserviceRegistration } from "../appservice-registration";
import { registerUser } from "../admin-register";
import { freePort } from "../../../scripts/stack/ports";

const ROOT = path.resolve(import.meta.dirname, "../../..");

export interface ThrowawayHomeserver {
  /** The config the tests use, with an admin's token (MATRIX_ADMIN_TOKEN). */
  config: AppConfig;
  homeserverUrl: string;
  sharedSecret: string;
  /** Stops Synapse; `start` brings it back on the same data (a restart in two halves). */
  halt(): Promise<void>;
  start(): Promise<void>;
  /** Stops Synapse and removes its data. */
  stop(): Promise<void>;
}

/**
 * A Synapse of a test's own, with the guest-limits module loaded as in
 * production (the shared test homeserver runs without it, and must keep
 * running for the other tests). Nothing listens on the application-service
 * URL: Synapse's pushes to it simply fail. `name` tells the data directory and
 * the admin account apart; `env` adds or overrides config keys.
 */
export async function startThrowawayHomeserver(name: string, env: Record<string, string> = {}): Promise<ThrowawayHomeserver> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `stadtfunk-${name}-hs-`));
  const [hsPort, asPort] = [await freePort(), await freePort()];
  const homeserverUrl = `http://127.0.0.1:${hsPort}`;
  const secret = () => randomBytes(24).toString("base64url");
  const sharedSecret = secret();
  const fullEnv = {
    MATRIX_SERVER_NAME: "stadtfunk.test",
    MATRIX_HOMESERVER_URL: homeserverUrl,
    MATRIX_REGISTRATION_SHARED_SECRET: sharedSecret,
    APPSERVICE_URL: `http://127.0.0.1:${asPort}`,
    APPSERVICE_AS_TOKEN: secret(),
    APPSERVICE_HS_TOKEN: secret(),
    AUTH_SECRET: secret(),
    JITSI_DOMAIN: "meet.stadt.example",
    JITSI_AUTH_MODE: "none",
    ...env,
  };
  const base = parseConfig(fullEnv);
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
  const admin = await registerUser({ homeserverUrl, sharedSecret, username: `${name}-test-admin`, admin: true });
  return {
    config: parseConfig({ ...fullEnv, MATRIX_ADMIN_TOKEN: admin.access_token }),
    homeserverUrl,
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
