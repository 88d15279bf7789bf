import { createHmac } from "node:crypto";
import path from "node:path";
import { stringify } from "yaml";
import { synapseRetentionConfig } from "../lifecycle/message-retention";
import { userConsentConfig } from "./consent";

/** The city's identity provider as Synapse's OIDC client sees it. */
export interface SynapseOidcInput {
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string[];
  /** Claim that identifies a person for good (e.g. "sub", or "oid" on Entra ID). */
  subjectClaim: string;
  nameClaim?: string;
  emailClaim?: string;
  groupsClaim?: string;
  /** Groups allowed to use the service; empty or absent means everyone the IdP signs in. */
  allowedGroups?: string[];
  /** Synapse prefixes it: the IdP id in /login and in external_ids is `oidc-<idpId>`. */
  idpId?: string;
  idpName?: string;
}

export interface SynapseConfigInput {
  serverName: string;
  /** Where clients reach the homeserver, e.g. http://127.0.0.1:8008 (OIDC callback base). */
  publicBaseUrl: string;
  port: number;
  /** Absolute directory for the database, media, signing key and log. */
  dataDir: string;
  /** postgres://user:pass@host:port/db; absent means SQLite in dataDir. */
  databaseUrl?: string;
  registrationSharedSecret: string;
  /** Derived from registrationSharedSecret when absent, so restarts keep sessions. */
  macaroonSecretKey?: string;
  formSecret?: string;
  /** Application-service registration files (the bots' namespace). */
  appserviceRegistrationPaths?: string[];
  oidc?: SynapseOidcInput;
  /** URL prefixes allowed as SSO redirect targets without a confirmation page (the portal). */
  ssoClientWhitelist?: string[];
  logConfigPath: string;
  /** Servers this one federates with; empty means closed federation. */
  federationDomainWhitelist?: string[];
  /** A TLS listener serving federation (and OpenID userinfo) to partners; federation is always HTTPS. */
  federationListener?: FederationListenerInput;
  /** Tests only: trust these CA files for outbound federation instead of the system's store (self-signed test servers). */
  federationCustomCaList?: string[];
  /** Tests only: outbound federation may reach these ranges (loopback test servers; private ranges are blocked by default). */
  ipRangeWhitelist?: string[];
  /** The city's Jitsi, published to Element through .well-known. */
  jitsiDomain?: string;
  /** Password hash cost; Synapse's default is 12, tests use 4. */
  bcryptRounds?: number;
  /** Message lifetime from the retention policy (lib/lifecycle); absent or null: messages live as long as the room. */
  messageRetentionDays?: number | null;
  /** Synapse modules to load (`modules:`), e.g. the guest limits from lib/homeserver/modules. */
  modules?: SynapseModuleEntry[];
  /** Consent tracking for Element-only staff (lib/homeserver/consent): the template directory and the rules version. */
  consent?: { templateDir: string; version: number };
}

export interface FederationListenerInput {
  /** 8448 unless the server name carries another port. */
  port: number;
  bindAddresses: string[];
  /** PEM certificate (full chain) valid for the server name, and its key. */
  tlsCertificatePath: string;
  tlsPrivateKeyPath: string;
}

/** One entry of homeserver.yaml's `modules:` list; the Python module must be on Synapse's PYTHONPATH. */
export interface SynapseModuleEntry {
  module: string;
  config: Record<string, unknown>;
}

export type SynapseConfig = Record<string, unknown>;

const DEFAULT_IDP_ID = "stadtfunk";

/**
 * A stable secret per purpose: Synapse signs access-token macaroons and forms
 * with these, so they must survive restarts without a second secret to manage.
 */
export function deriveSecret(sharedSecret: string, purpose: string): string {
  return createHmac("sha256", sharedSecret).update(`stadtfunk/synapse/${purpose}`).digest("hex");
}

/** Synapse's database block: sqlite3 in dataDir, or psycopg2 arguments taken from a URL. */
export function databaseConfig(dataDir: string, databaseUrl?: string): SynapseConfig {
  if (!databaseUrl) {
    return { name: "sqlite3", args: { database: path.join(dataDir, "homeserver.db") } };
  }
  const url = new URL(databaseUrl);
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    throw new Error(`Synapse database URL must start with postgres://, got ${url.protocol}//`);
  }
  const dbname = decodeURIComponent(url.pathname.replace(/^\//, ""));
  if (!dbname) throw new Error("Synapse database URL names no database (postgres://…/dbname)");
  const args: Record<string, string | number> = {
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    dbname,
    host: url.hostname,
    port: url.port ? Number(url.port) : 5432,
    cp_min: 5,
    cp_max: 10,
  };
  // sslmode, connect_timeout, … are libpq keywords psycopg2 passes through.
  for (const [k, v] of url.searchParams) args[k] = v;
  if (!args.user) delete args.user;
  if (!args.password) delete args.password;
  return { name: "psycopg2", args };
}

/** `{{ user.<claim> }}`; refuses claims that would be Jinja code rather than a name. */
export function claimTemplate(claim: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(claim)) {
    throw new Error(`OIDC claim "${claim}" is not a plain claim name`);
  }
  return `{{ user.${claim} }}`;
}

function withTrailingSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}

function oidcProvider(oidc: SynapseOidcInput): SynapseConfig {
  return {
    idp_id: oidc.idpId ?? DEFAULT_IDP_ID,
    idp_name: oidc.idpName ?? "Stadtfunk",
    issuer: oidc.issuer,
    client_id: oidc.clientId,
    client_secret: oidc.clientSecret,
    scopes: oidc.scopes,
    pkce_method: "always",
    // Never attach an SSO login to an existing account by name: that would let
    // whoever the IdP calls "admin" take over a local admin. Accounts the
    // service pre-provisions carry the external id, which Synapse matches first.
    allow_existing_users: false,
    // Signing out at the IdP ends the Matrix sessions too.
    backchannel_logout_enabled: true,
    user_mapping_provider: {
      config: {
        subject_template: claimTemplate(oidc.subjectClaim),
        localpart_template: "{{ user.preferred_username | lower }}",
        display_name_template: claimTemplate(oidc.nameClaim ?? "name"),
        email_template: claimTemplate(oidc.emailClaim ?? "email"),
      },
    },
    // The portal's access rule, enforced by Synapse for Element sign-ins too.
    ...(oidc.allowedGroups && oidc.allowedGroups.length > 0
      ? { attribute_requirements: [{ attribute: oidc.groupsClaim ?? "groups", one_of: oidc.allowedGroups }] }
      : {}),
  };
}

/** homeserver.yaml as a plain object. Pure: same input, same output. */
export function buildSynapseConfig(input: SynapseConfigInput): SynapseConfig {
  if (!path.isAbsolute(input.dataDir)) {
    throw new Error(`Synapse dataDir must be absolute, got "${input.dataDir}"`);
  }
  if (!Number.isInteger(input.port) || input.port < 1 || input.port > 65535) {
    throw new Error(`Synapse port must be 1-65535, got ${input.port}`);
  }
  const secret = input.registrationSharedSecret;
  if (secret.length < 16) throw new Error("registrationSharedSecret must be at least 16 characters");

  const config: SynapseConfig = {
    server_name: input.serverName,
    public_baseurl: withTrailingSlash(input.publicBaseUrl),
    report_stats: false,
    // Loopback only: a reverse proxy terminates TLS in front of it.
    listeners: [
      {
        port: input.port,
        bind_addresses: ["127.0.0.1"],
        type: "http",
        tls: false,
        x_forwarded: true,
        resources: [{ names: ["client", "federation"], compress: false }],
      },
    ],
    database: databaseConfig(input.dataDir, input.databaseUrl),
    log_config: input.logConfigPath,
    media_store_path: path.join(input.dataDir, "media_store"),
    signing_key_path: path.join(input.dataDir, "signing.key"),
    registration_shared_secret: secret,
    macaroon_secret_key: input.macaroonSecretKey ?? deriveSecret(secret, "macaroon_secret_key"),
    form_secret: input.formSecret ?? deriveSecret(secret, "form_secret"),
    // Accounts come from SSO or the admin API, never from open sign-up.
    enable_registration: false,
    bcrypt_rounds: input.bcryptRounds ?? 12,
    // Closed federation: only our own server and approved partners (read from the
    // database at every start; a change of partners needs a restart).
    federation_domain_whitelist: input.federationDomainWhitelist ?? [],
    trusted_key_servers: [],
    suppress_key_server_warning: true,
    // Presence costs CPU and traffic for every member of every room.
    presence: { enabled: false },
    app_service_config_files: input.appserviceRegistrationPaths ?? [],
    ...rateLimitConfig(RATE_LIMIT_NOTES),
    ...synapseRetentionConfig(input.messageRetentionDays),
  };
  if (input.federationListener) {
    const l = input.federationListener;
    (config.listeners as unknown[]).push({
      port: l.port,
      bind_addresses: l.bindAddresses,
      type: "http",
      tls: true,
      x_forwarded: false,
      resources: [{ names: ["federation"], compress: false }],
    });
    config.tls_certificate_path = l.tlsCertificatePath;
    config.tls_private_key_path = l.tlsPrivateKeyPath;
  }
  if (input.federationCustomCaList?.length) config.federation_custom_ca_list = input.federationCustomCaList;
  if (input.ipRangeWhitelist?.length) config.ip_range_whitelist = input.ipRangeWhitelist;
  if (input.oidc) config.oidc_providers = [oidcProvider(input.oidc)];
  if (input.modules?.length) config.modules = input.modules.map((m) => ({ module: m.module, config: m.config }));
  if (input.consent) {
    config.user_consent = userConsentConfig(input.consent.templateDir, input.consent.version);
    // The consent form is served by the client listener.
    const [client] = config.listeners as { resources: { names: string[] }[] }[];
    client!.resources[0]!.names.push("consent");
  }
  // Display name and e-mail follow the identity provider at every sign-in, not only the first.
  config.sso = {
    update_profile_information: true,
    ...(input.ssoClientWhitelist?.length ? { client_whitelist: input.ssoClientWhitelist.map(withTrailingSlash) } : {}),
  };
  // Element users get the city's Jitsi as their call domain.
  if (input.jitsiDomain) {
    config.extra_well_known_client_content = { "io.element.jitsi": { preferredDomain: input.jitsiDomain } };
  }
  return config;
}

/** The YAML text Synapse reads. */
export function renderSynapseConfig(config: SynapseConfig): string {
  const header =
    "# Synapse homeserver configuration written by Stadtfunk at every start.\n" +
    "# Edit lib/homeserver/synapse-config.ts (or the environment) instead of this file.\n";
  return header + stringify(config, { lineWidth: 0 });
}

/**
 * The Synapse rate limits Stadtfunk changes, with the reason for each. This
 * table is the single source: buildSynapseConfig writes it into
 * homeserver.yaml and the README renders it. Limits not listed keep Synapse's
 * defaults (notably rc_registration and rc_login.failed_attempts,
 * which guard against spam and password guessing).
 *
 * Synapse's limiter is a leaky bucket: `burst_count` actions pass at once,
 * then one every 1/per_second seconds. Bots and guests act through the
 * application service (rate_limited: false) and are exempt from all of these.
 */

export interface RateLimit {
  per_second: number;
  burst_count: number;
}

export interface RateLimitNote {
  /** Config key; a dot separates the nested key (rc_login.address → rc_login: { address }). */
  key: string;
  value: RateLimit;
  /** Synapse 1.163 default, for comparison. */
  default: RateLimit;
  why: string;
}

export const RATE_LIMIT_NOTES: readonly RateLimitNote[] = [
  {
    key: "rc_message",
    value: { per_second: 1, burst_count: 30 },
    default: { per_second: 0.2, burst_count: 10 },
    why:
      "Per person: in a lively meeting chat the default (10, then one message every 5 seconds) " +
      "holds back people who type short messages. 30 at once, then one per second, still stops flooding; " +
      "the policy bot's flood protection acts on top.",
  },
  {
    key: "rc_login.address",
    value: { per_second: 2, burst_count: 500 },
    default: { per_second: 0.003, burst_count: 5 },
    why:
      "Keyed by client IP, and SSO logins count too. A city hall's staff share one NAT address: " +
      "with the default the 50th person signing in at 9:00 waits about 4 hours. " +
      "500 pass at once, then 2 per second (600 more in 5 minutes). " +
      "Password guessing stays limited per account by rc_login.failed_attempts (unchanged).",
  },
  {
    key: "rc_login.account",
    value: { per_second: 0.017, burst_count: 10 },
    default: { per_second: 0.003, burst_count: 5 },
    why:
      "One person signs in on desktop, phone and browser and again after a session ends; " +
      "the default allows 5 and then one every 5.5 minutes. 10 at once, then one per minute.",
  },
  {
    key: "rc_room_creation",
    value: { per_second: 0.05, burst_count: 20 },
    default: { per_second: 0.016, burst_count: 10 },
    why:
      "Staff plan a week of appointments in one go; 20 rooms at once, then one every 20 seconds " +
      "(default: 10, then one per minute).",
  },
  {
    key: "rc_joins.local",
    value: { per_second: 0.5, burst_count: 30 },
    default: { per_second: 0.1, burst_count: 10 },
    why:
      "A new colleague accepts all team and department rooms at once; 30 joins, then one every " +
      "2 seconds (default: 10, then one every 10 seconds).",
  },
  {
    key: "rc_joins_per_room",
    value: { per_second: 2, burst_count: 100 },
    default: { per_second: 1, burst_count: 10 },
    why:
      "Keyed by room, across all users: 100 staff join an all-hands room at the same minute " +
      "without queueing.",
  },
  {
    key: "rc_invites.per_room",
    value: { per_second: 1, burst_count: 50 },
    default: { per_second: 0.3, burst_count: 10 },
    why: "Inviting a whole department (up to 50 people) into one room without waiting minutes.",
  },
  {
    key: "rc_invites.per_issuer",
    value: { per_second: 1, burst_count: 50 },
    default: { per_second: 0.3, burst_count: 10 },
    why: "The same department invitation, counted per person who invites.",
  },
  {
    key: "rc_invites.per_user",
    value: { per_second: 0.05, burst_count: 20 },
    default: { per_second: 0.003, burst_count: 5 },
    why:
      "Keyed by the invited person: someone invited to a week's meetings at once. The default " +
      "makes the 6th invitation wait 5.5 minutes; 20 at once still stops invitation spam.",
  },
];

/** The notes as homeserver.yaml keys: { rc_login: { address: {...}, account: {...} }, ... }. */
export function rateLimitConfig(
  notes: readonly RateLimitNote[] = RATE_LIMIT_NOTES,
): Record<string, RateLimit | Record<string, RateLimit>> {
  const out: Record<string, RateLimit | Record<string, RateLimit>> = {};
  for (const { key, value } of notes) {
    const [top, sub] = key.split(".") as [string, string | undefined];
    if (sub === undefined) {
      out[top] = { ...value };
    } else {
      const group = (out[top] ?? {}) as Record<string, RateLimit>;
      group[sub] = { ...value };
      out[top] = group;
    }
  }
  return out;
}
