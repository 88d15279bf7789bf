import { randomBytes } from "node:crypto";
import path from "node:path";
import { stringify } from "yaml";
import type { AppConfig } from "../../lib/config/load";
import { buildAppserviceRegistration } from "../../lib/matrix/appservice-registration";
import { guestLimitsModule } from "../../lib/homeserver/modules/guest-limits-module";
import { buildSynapseConfig, renderSynapseConfig, RATE_LIMIT_NOTES, type SynapseConfig } from "../../lib/homeserver/synapse-config";
import { startSynapse, synapsePaths } from "../../lib/homeserver/synapse-process";
import { createLogger } from "../../lib/log";
import { freePort } from "../../scripts/stack/ports";
import type { BenchContext } from "./types";

/**
 * Which rate limits the throwaway homeserver runs with:
 * - shipped:   exactly what Stadtfunk generates (lib/homeserver/synapse-config.ts)
 * - unlimited: the same file with every limiter lifted, as Synapse's own
 *              end-to-end suite (Complement) runs it: the lower bound
 * - stock:     the same file without Stadtfunk's limits, i.e. Synapse's defaults
 */
export type LimitProfile = "shipped" | "unlimited" | "stock";

export interface BenchSynapse {
  url: string;
  serverName: string;
  registrationSharedSecret: string;
  profile: LimitProfile;
  pid: number;
  /** The application service as the shipped registration declares it (the bots' and the portal's identity). */
  appservice: AppConfig["appservice"];
}

const SERVER_NAME = "bench.stadtfunk.test";
/** The namespace the shipped registration declares; the guest-limits module confines guests within it. */
const USER_PREFIX = "_stadtfunk_";
const secret = () => randomBytes(24).toString("base64url");
const HUGE = { per_second: 9999, burst_count: 9999 };

/** Every client-facing limiter Synapse 1.163 has, lifted. */
export function unlimitedRateLimits(): SynapseConfig {
  return {
    rc_message: HUGE,
    rc_registration: HUGE,
    rc_registration_token_validity: HUGE,
    rc_login: { address: HUGE, account: HUGE, failed_attempts: HUGE },
    rc_admin_redaction: HUGE,
    rc_joins: { local: HUGE, remote: HUGE },
    rc_joins_per_room: HUGE,
    rc_invites: { per_room: HUGE, per_user: HUGE, per_issuer: HUGE },
    rc_room_creation: HUGE,
    rc_3pid_validation: HUGE,
    rc_third_party_invite: HUGE,
    rc_media_create: HUGE,
    rc_presence: { per_user: HUGE },
    rc_delayed_event_mgmt: HUGE,
    rc_reports: HUGE,
    rc_user_directory: HUGE,
  };
}

/** The shipped homeserver.yaml, with the rate limits of the chosen profile. */
export function benchSynapseConfig(input: {
  profile: LimitProfile;
  port: number;
  dataDir: string;
  registrationSharedSecret: string;
}): SynapseConfig {
  const url = `http://127.0.0.1:${input.port}`;
  const paths = synapsePaths(input.dataDir);
  const config = buildSynapseConfig({
    serverName: SERVER_NAME,
    publicBaseUrl: url,
    port: input.port,
    dataDir: input.dataDir,
    registrationSharedSecret: input.registrationSharedSecret,
    appserviceRegistrationPaths: [paths.appserviceRegistration],
    logConfigPath: paths.logConfig,
    modules: [guestLimitsModule({ appservice: { userPrefix: USER_PREFIX }, matrix: { serverName: SERVER_NAME } })],
  });
  if (input.profile === "shipped") return config;
  const stripped = { ...config };
  for (const note of RATE_LIMIT_NOTES) delete stripped[note.key.split(".")[0]!];
  return input.profile === "stock" ? stripped : { ...stripped, ...unlimitedRateLimits() };
}

/** A throwaway Synapse (SQLite, own data dir, free port), stopped when the run ends. */
export function sharedSynapse(ctx: BenchContext, profile: LimitProfile): Promise<BenchSynapse> {
  return ctx.shared(`synapse:${profile}`, async () => {
    const dataDir = ctx.tmpDir(`stadtfunk-bench-synapse-${profile}-`);
    const [port, appservicePort] = [await freePort(), await freePort()];
    const registrationSharedSecret = secret();
    const configYaml = renderSynapseConfig(benchSynapseConfig({ profile, port, dataDir, registrationSharedSecret }));
    // Nothing listens on the application service's port: benchmarks act as the service, they do not receive events.
    const appservice: AppConfig["appservice"] = {
      id: "stadtfunk",
      port: appservicePort,
      url: `http://127.0.0.1:${appservicePort}`,
      userPrefix: USER_PREFIX,
      asToken: secret(),
      hsToken: secret(),
    };
    const started = performance.now();
    const synapse = await startSynapse({
      venvDir: path.join(ctx.root, ".venv", "synapse"),
      dataDir,
      configYaml,
      appserviceRegistrationYaml: stringify(buildAppserviceRegistration({ appservice, matrix: { serverName: SERVER_NAME } })),
      port,
      url: `http://127.0.0.1:${port}`,
      logger: createLogger(`synapse-${profile}`, process.env.LOG_LEVEL ?? "error"),
      startTimeoutMs: 120_000,
    });
    ctx.log(`Synapse (${profile} limits) up at ${synapse.url} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return {
      value: { url: synapse.url, serverName: SERVER_NAME, registrationSharedSecret, profile, appservice, pid: synapse.pid },
      stop: synapse.stop,
    };
  });
}
