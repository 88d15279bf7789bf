import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { freePorts } from "../../../scripts/stack/ports";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { stringify } from "yaml";
import type { TestProject } from "vitest/node";
import { buildSynapseConfig, renderSynapseConfig } from "../../../lib/homeserver/synapse-config";
import { startSynapse, synapsePaths, type RunningSynapse } from "../../../lib/homeserver/synapse-process";
import { createLogger } from "../../../lib/log";
import { guestLimitsModule } from "../../../lib/homeserver/modules/guest-limits-module";
import { buildAppserviceRegistration } from "../../../lib/matrix/appservice-registration";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const VENV = path.join(ROOT, ".venv", "synapse");
const SERVER_NAME = "stadtfunk.test";
const USER_PREFIX = "_stadtfunk_";

const secret = () => randomBytes(24).toString("base64url");

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

/** Starts one throwaway Synapse for the whole integration run. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = performance.now();
  await installSynapse();
  const installed = performance.now();

  const dataDir = await mkdtemp(path.join(os.tmpdir(), "stadtfunk-synapse-"));
  const [hsPort, asPort, idpPort, portalPort] = (await freePorts(4)) as [number, number, number, number];
  const homeserverUrl = `http://127.0.0.1:${hsPort}`;
  const portalUrl = `http://127.0.0.1:${portalPort}`;
  const registrationSharedSecret = secret();
  const appservice = {
    id: "stadtfunk",
    port: asPort,
    url: `http://127.0.0.1:${asPort}`,
    userPrefix: USER_PREFIX,
    asToken: secret(),
    hsToken: secret(),
  };
  const oidc = {
    issuer: `http://127.0.0.1:${idpPort}`,
    clientId: "stadtfunk-synapse",
    clientSecret: secret(),
    scopes: ["openid", "profile", "email"],
    subjectClaim: "sub",
  };
  const paths = synapsePaths(dataDir);

  const configYaml = renderSynapseConfig(
    buildSynapseConfig({
      serverName: SERVER_NAME,
      publicBaseUrl: homeserverUrl,
      port: hsPort,
      dataDir,
      registrationSharedSecret,
      appserviceRegistrationPaths: [paths.appserviceRegistration],
      oidc,
      ssoClientWhitelist: [portalUrl],
      logConfigPath: paths.logConfig,
      bcryptRounds: 4,
      // The same guest limits as production, so every integration test runs against them.
      modules: [guestLimitsModule({ appservice, matrix: { serverName: SERVER_NAME } })],
    }),
  );
  const registration = buildAppserviceRegistration({
    appservice,
    matrix: { serverName: SERVER_NAME },
  });

  let synapse: RunningSynapse | undefined;
  try {
    synapse = await startSynapse({
      venvDir: VENV,
      dataDir,
      configYaml,
      appserviceRegistrationYaml: stringify(registration),
      port: hsPort,
      url: homeserverUrl,
      // Only errors by default: a failed start prints the last lines of the log anyway.
      logger: createLogger("synapse", process.env.LOG_LEVEL ?? "error"),
    });
  } catch (err) {
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  const ready = performance.now();
  const seconds = (ms: number) => (ms / 1000).toFixed(1);
  console.log(
    `Synapse ready at ${homeserverUrl} in ${seconds(ready - started)} s ` +
      `(install check ${seconds(installed - started)} s, start ${seconds(ready - installed)} s). ` +
      `Its OIDC issuer ${oidc.issuer} runs only when a test starts it, so a preload error about it is expected.`,
  );

  project.provide("homeserverUrl", homeserverUrl);
  project.provide("serverName", SERVER_NAME);
  project.provide("registrationSharedSecret", registrationSharedSecret);
  project.provide("appserviceId", appservice.id);
  project.provide("asToken", appservice.asToken);
  project.provide("hsToken", appservice.hsToken);
  project.provide("appservicePort", appservice.port);
  project.provide("appserviceUrl", appservice.url);
  project.provide("userPrefix", appservice.userPrefix);
  project.provide("oidcIssuer", oidc.issuer);
  project.provide("oidcIdpPort", idpPort);
  project.provide("oidcClientId", oidc.clientId);
  project.provide("oidcClientSecret", oidc.clientSecret);
  project.provide("portalUrl", portalUrl);
  project.provide("dataDir", dataDir);

  return async () => {
    await synapse?.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
