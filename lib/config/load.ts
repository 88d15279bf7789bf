import path from "node:path";
import { envSchema, type Env, requiredSecrets } from "./schema";

export type SecretKey = (typeof requiredSecrets)[number];

/** A configuration problem; the message names every offending key. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export interface AppConfig {
  demo: boolean;
  /** Set by the tooling (next dev sets "development"), not by operators. */
  isDevelopment: boolean;
  dataDir: string;
  logLevel: Env["LOG_LEVEL"];
  cityName: string;
  /** Where people report accessibility barriers (BITV 2.0 feedback mechanism). */
  accessibilityContact: string;
  portal: { url: string; port: number; authSecret: string };
  database: { url: string; embedded: boolean; pglitePort: number };
  matrix: {
    serverName: string;
    homeserverUrl: string;
    synapseDatabaseUrl: string | undefined;
    registrationSharedSecret: string;
    /** Access token of a homeserver admin; used only for identity checks and leavers. */
    adminToken: string;
    /** The generated homeserver.yaml carries Synapse's consent tracking, fed from the current usage rules. */
    consentTracking: boolean;
  };
  appservice: {
    id: string;
    port: number;
    url: string;
    userPrefix: string;
    asToken: string;
    hsToken: string;
  };
  /** Enforcement logs what it would do and changes nothing. */
  bots: {
    isDryRun: boolean;
    cleanupIntervalSeconds: number;
    cleanupParallelDeletions: number;
    /** The cleanup bot's own admin token; MATRIX_ADMIN_TOKEN when not set. */
    cleanupAdminToken: string;
  };
  oidc: {
    issuer: string;
    clientId: string;
    clientSecret: string;
    synapseClientId: string;
    synapseClientSecret: string;
    scopes: string[];
    subjectClaim: string;
    nameClaim: string;
    emailClaim: string;
    groupsClaim: string;
    /** Empty: everyone the identity provider signs in may use the service. */
    allowedGroups: string[];
    adminGroup: string;
  };
  session: { idleMinutes: number; maxHours: number };
  devIdp: { port: number };
  jitsi: {
    domain: string;
    authMode: "matrix" | "jwt" | "none";
    appId: string;
    /** Only set (and required) in `jwt` mode. */
    appSecret: string;
    /** Bearer token Jitsi's prosody presents to the verification endpoint (`matrix` mode). */
    verifierToken: string;
    tokenTtlSeconds: number;
  };
  /** Invitation mails; `smtpUrl` undefined: no mail at all. */
  mail: { smtpUrl: string | undefined; from: string };
}

/**
 * Parses the environment once. `need` lists the secrets this process cannot
 * run without; the others read as "" so a process never sees a secret it
 * does not use by accident.
 */
export function parseConfig(
  env: Record<string, string | undefined>,
  need: readonly SecretKey[] = [],
): AppConfig {
  const cleaned = Object.fromEntries(
    Object.keys(envSchema.shape).map((k) => [k, env[k] === "" ? undefined : env[k]]),
  );
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`),
    );
  }
  const e = parsed.data;
  const missing: string[] = need.filter((k) => !e[k]);
  if (e.JITSI_AUTH_MODE === "jwt" && !e.JITSI_APP_SECRET) missing.push("JITSI_APP_SECRET");
  if (missing.length > 0) {
    throw new ConfigError(
      missing.map((k) =>
        k === "JITSI_APP_SECRET"
          ? "JITSI_APP_SECRET: is required when JITSI_AUTH_MODE=jwt"
          : `${k}: is required and has no default`,
      ),
    );
  }
  const s = (k: SecretKey) => e[k] ?? "";

  return {
    demo: e.STADTFUNK_DEMO,
    isDevelopment: env.NODE_ENV === "development",
    dataDir: path.resolve(e.STADTFUNK_DATA_DIR),
    logLevel: e.LOG_LEVEL,
    cityName: e.CITY_NAME,
    accessibilityContact: e.ACCESSIBILITY_CONTACT,
    portal: { url: e.PORTAL_URL, port: e.PORTAL_PORT, authSecret: s("AUTH_SECRET") },
    database: {
      url: e.DATABASE_URL ?? `postgres://postgres:postgres@127.0.0.1:${e.PGLITE_PORT}/postgres`,
      embedded: e.DATABASE_URL === undefined,
      pglitePort: e.PGLITE_PORT,
    },
    matrix: {
      serverName: e.MATRIX_SERVER_NAME,
      homeserverUrl: e.MATRIX_HOMESERVER_URL,
      synapseDatabaseUrl: e.SYNAPSE_DATABASE_URL,
      registrationSharedSecret: s("MATRIX_REGISTRATION_SHARED_SECRET"),
      adminToken: s("MATRIX_ADMIN_TOKEN"),
      consentTracking: e.HOMESERVER_CONSENT,
    },
    appservice: {
      id: e.APPSERVICE_ID,
      port: e.APPSERVICE_PORT,
      url: e.APPSERVICE_URL,
      userPrefix: e.APPSERVICE_USER_PREFIX,
      asToken: s("APPSERVICE_AS_TOKEN"),
      hsToken: s("APPSERVICE_HS_TOKEN"),
    },
    bots: {
      isDryRun: e.BOTS_DRY_RUN,
      cleanupIntervalSeconds: e.CLEANUP_INTERVAL_SECONDS,
      cleanupParallelDeletions: e.CLEANUP_PARALLEL_DELETIONS,
      cleanupAdminToken: e.CLEANUP_ADMIN_TOKEN ?? s("MATRIX_ADMIN_TOKEN"),
    },
    oidc: {
      issuer: e.OIDC_ISSUER,
      clientId: e.OIDC_CLIENT_ID,
      clientSecret: s("OIDC_CLIENT_SECRET"),
      synapseClientId: e.OIDC_SYNAPSE_CLIENT_ID,
      synapseClientSecret: s("OIDC_SYNAPSE_CLIENT_SECRET"),
      scopes: e.OIDC_SCOPES.split(/\s+/).filter(Boolean),
      subjectClaim: e.OIDC_SUBJECT_CLAIM,
      nameClaim: e.OIDC_NAME_CLAIM,
      emailClaim: e.OIDC_EMAIL_CLAIM,
      groupsClaim: e.OIDC_GROUPS_CLAIM,
      allowedGroups: e.OIDC_ALLOWED_GROUPS.split(",").map((g) => g.trim()).filter(Boolean),
      adminGroup: e.OIDC_ADMIN_GROUP,
    },
    session: { idleMinutes: e.SESSION_IDLE_MINUTES, maxHours: e.SESSION_MAX_HOURS },
    devIdp: { port: e.DEV_IDP_PORT },
    jitsi: {
      domain: e.JITSI_DOMAIN,
      authMode: e.JITSI_AUTH_MODE,
      appId: e.JITSI_APP_ID,
      appSecret: e.JITSI_APP_SECRET ?? "",
      verifierToken: e.JITSI_VERIFIER_TOKEN ?? "",
      tokenTtlSeconds: e.JITSI_TOKEN_TTL_SECONDS,
    },
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM },
  };
}

/** A copy of the environment, for orchestration that passes it on to child processes. */
export function environmentSnapshot(): Record<string, string | undefined> {
  return { ...process.env };
}

const cached = new Map<string, AppConfig>();

/** The process-wide configuration; the only place that reads process.env. */
export function loadConfig(need: readonly SecretKey[] = []): AppConfig {
  const key = [...need].sort().join(",");
  let config = cached.get(key);
  if (!config) {
    config = parseConfig(process.env, need);
    cached.set(key, config);
  }
  return config;
}

/** For command-line entry points: print the problem without a stack trace and exit 1. */
export function loadConfigOrExit(need: readonly SecretKey[] = []): AppConfig {
  try {
    return loadConfig(need);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}
