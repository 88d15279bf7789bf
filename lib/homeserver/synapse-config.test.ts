import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  buildSynapseConfig,
  claimTemplate,
  databaseConfig,
  deriveSecret,
  RATE_LIMIT_NOTES,
  renderSynapseConfig,
  type SynapseConfigInput,
} from "./synapse-config";
import { buildSynapseLogConfig, renderSynapseLogConfig } from "./log-config";

const base: SynapseConfigInput = {
  serverName: "stadtfunk.test",
  publicBaseUrl: "http://127.0.0.1:8008",
  port: 8008,
  dataDir: "/srv/stadtfunk/synapse",
  registrationSharedSecret: "a-shared-secret-of-some-length",
  appserviceRegistrationPaths: ["/srv/stadtfunk/synapse/appservice.yaml"],
  logConfigPath: "/srv/stadtfunk/synapse/log.yaml",
  ssoClientWhitelist: ["http://127.0.0.1:3000"],
  bcryptRounds: 4,
};

const oidc = {
  issuer: "http://127.0.0.1:3100",
  clientId: "stadtfunk-synapse",
  clientSecret: "oidc-client-secret",
  scopes: ["openid", "profile", "email"],
  subjectClaim: "sub",
};

type Provider = { idp_id: string; user_mapping_provider: { config: Record<string, string> } } & Record<string, unknown>;

describe("buildSynapseConfig", () => {
  it("binds one listener to loopback only, serving client and federation behind a proxy", () => {
    const cfg = buildSynapseConfig(base);
    expect(cfg.listeners).toEqual([
      {
        port: 8008,
        bind_addresses: ["127.0.0.1"],
        type: "http",
        tls: false,
        x_forwarded: true,
        resources: [{ names: ["client", "federation"], compress: false }],
      },
    ]);
  });

  it("keeps registration closed, federation closed and presence off", () => {
    const cfg = buildSynapseConfig(base);
    expect(cfg).toMatchObject({
      server_name: "stadtfunk.test",
      public_baseurl: "http://127.0.0.1:8008/",
      enable_registration: false,
      federation_domain_whitelist: [],
      trusted_key_servers: [],
      suppress_key_server_warning: true,
      report_stats: false,
      presence: { enabled: false },
      bcrypt_rounds: 4,
      app_service_config_files: ["/srv/stadtfunk/synapse/appservice.yaml"],
      log_config: "/srv/stadtfunk/synapse/log.yaml",
      media_store_path: "/srv/stadtfunk/synapse/media_store",
      signing_key_path: "/srv/stadtfunk/synapse/signing.key",
    });
    expect(cfg).not.toHaveProperty("default_room_version");
    expect(cfg).not.toHaveProperty("enable_registration_without_verification");
  });

  it("federates with approved partners only when they are listed", () => {
    const cfg = buildSynapseConfig({ ...base, federationDomainWhitelist: ["nachbarstadt.de"] });
    expect(cfg.federation_domain_whitelist).toEqual(["nachbarstadt.de"]);
  });

  it("adds a TLS federation listener, and the test-only trust settings only when asked", () => {
    const plain = buildSynapseConfig(base);
    expect(plain).not.toHaveProperty("federation_custom_ca_list");
    expect(plain).not.toHaveProperty("ip_range_whitelist");
    expect(plain.listeners).toHaveLength(1);
    const cfg = buildSynapseConfig({
      ...base,
      federationListener: { port: 8448, bindAddresses: ["0.0.0.0"], tlsCertificatePath: "/tls/c.pem", tlsPrivateKeyPath: "/tls/k.pem" },
      federationCustomCaList: ["/tls/ca.pem"],
      ipRangeWhitelist: ["127.0.0.0/8"],
    });
    expect(cfg.listeners).toContainEqual({
      port: 8448,
      bind_addresses: ["0.0.0.0"],
      type: "http",
      tls: true,
      x_forwarded: false,
      resources: [{ names: ["federation"], compress: false }],
    });
    expect(cfg).toMatchObject({
      tls_certificate_path: "/tls/c.pem",
      tls_private_key_path: "/tls/k.pem",
      federation_custom_ca_list: ["/tls/ca.pem"],
      ip_range_whitelist: ["127.0.0.0/8"],
      trusted_key_servers: [],
    });
  });

  it.each([
    { given: "http://127.0.0.1:3000", want: "http://127.0.0.1:3000/" },
    { given: "https://portal.stadt.de/", want: "https://portal.stadt.de/" },
  ])("whitelists the portal $given for SSO redirects with a trailing slash", ({ given, want }) => {
    const cfg = buildSynapseConfig({ ...base, ssoClientWhitelist: [given] });
    expect(cfg.sso).toEqual({ update_profile_information: true, client_whitelist: [want] });
  });

  it("publishes the city's Jitsi to Element through .well-known", () => {
    expect(buildSynapseConfig({ ...base, jitsiDomain: "meet.stadt.example" }).extra_well_known_client_content).toEqual({
      "io.element.jitsi": { preferredDomain: "meet.stadt.example" },
    });
  });

  it("omits oidc_providers without an identity provider", () => {
    expect(buildSynapseConfig(base)).not.toHaveProperty("oidc_providers");
  });

  it("configures the city's identity provider", () => {
    const cfg = buildSynapseConfig({ ...base, oidc });
    const providers = cfg.oidc_providers as Provider[];
    expect(providers).toHaveLength(1);
    expect(providers[0]).toEqual({
      idp_id: "stadtfunk",
      idp_name: "Stadtfunk",
      issuer: "http://127.0.0.1:3100",
      client_id: "stadtfunk-synapse",
      client_secret: "oidc-client-secret",
      scopes: ["openid", "profile", "email"],
      pkce_method: "always",
      allow_existing_users: false,
      backchannel_logout_enabled: true,
      user_mapping_provider: {
        config: {
          subject_template: "{{ user.sub }}",
          localpart_template: "{{ user.preferred_username | lower }}",
          display_name_template: "{{ user.name }}",
          email_template: "{{ user.email }}",
        },
      },
    });
  });

  it("restricts SSO sign-in to the allowed groups, the same rule the portal applies", () => {
    const cfg = buildSynapseConfig({
      ...base,
      oidc: { ...oidc, groupsClaim: "roles", allowedGroups: ["bauamt", "it"] },
    });
    expect((cfg.oidc_providers as Record<string, unknown>[])[0]?.attribute_requirements).toEqual([
      { attribute: "roles", one_of: ["bauamt", "it"] },
    ]);
  });

  it("lets everyone the identity provider signs in use the service when no groups are configured", () => {
    const cfg = buildSynapseConfig({ ...base, oidc: { ...oidc, allowedGroups: [] } });
    expect((cfg.oidc_providers as Record<string, unknown>[])[0]).not.toHaveProperty("attribute_requirements");
  });

  it.each([
    { claim: "sub", template: "{{ user.sub }}" },
    { claim: "oid", template: "{{ user.oid }}" },
    { claim: "employee_id", template: "{{ user.employee_id }}" },
    { claim: "ext.uid", template: "{{ user.ext.uid }}" },
  ])("maps subject claim $claim to $template", ({ claim, template }) => {
    const cfg = buildSynapseConfig({ ...base, oidc: { ...oidc, subjectClaim: claim } });
    const provider = (cfg.oidc_providers as Provider[])[0];
    expect(provider?.user_mapping_provider.config.subject_template).toBe(template);
  });

  it.each(["", "user }}{{ 7*7", "a-b", "1abc", "sub "])("rejects subject claim %j", (claim) => {
    expect(() => claimTemplate(claim)).toThrow(/not a plain claim name/);
  });

  it.each([
    { name: "relative data dir", patch: { dataDir: "data/synapse" }, error: /absolute/ },
    { name: "port 0", patch: { port: 0 }, error: /port/ },
    { name: "short shared secret", patch: { registrationSharedSecret: "short" }, error: /16 characters/ },
  ])("rejects $name", ({ patch, error }) => {
    expect(() => buildSynapseConfig({ ...base, ...patch })).toThrow(error);
  });

  it("derives stable, distinct session secrets from the shared secret unless given", () => {
    const a = buildSynapseConfig(base);
    const b = buildSynapseConfig(base);
    expect(a.macaroon_secret_key).toBe(b.macaroon_secret_key);
    expect(a.macaroon_secret_key).toBe(deriveSecret(base.registrationSharedSecret, "macaroon_secret_key"));
    expect(a.macaroon_secret_key).not.toBe(a.form_secret);
    expect(a.macaroon_secret_key).not.toContain(base.registrationSharedSecret);
    const other = buildSynapseConfig({ ...base, registrationSharedSecret: "another-shared-secret-value" });
    expect(other.macaroon_secret_key).not.toBe(a.macaroon_secret_key);
    const given = buildSynapseConfig({ ...base, macaroonSecretKey: "m".repeat(32), formSecret: "f".repeat(32) });
    expect(given).toMatchObject({ macaroon_secret_key: "m".repeat(32), form_secret: "f".repeat(32) });
  });

  it("writes every documented rate limit and leaves failed-login protection alone", () => {
    const cfg = buildSynapseConfig(base);
    for (const note of RATE_LIMIT_NOTES) {
      const [top, sub] = note.key.split(".") as [string, string | undefined];
      const got = sub ? (cfg[top] as Record<string, unknown>)[sub] : cfg[top];
      expect(got, note.key).toEqual(note.value);
      expect(note.why.length, note.key).toBeGreaterThan(20);
    }
    expect(cfg.rc_login).not.toHaveProperty("failed_attempts");
    expect(cfg.rc_message).toEqual({ per_second: 1, burst_count: 30 });
    expect(cfg).not.toHaveProperty("rc_registration");
  });

  it("lets 500 sign-ins from one address through within 5 minutes", () => {
    const address = RATE_LIMIT_NOTES.find((n) => n.key === "rc_login.address")?.value;
    expect(address).toBeDefined();
    expect((address?.burst_count ?? 0) + (address?.per_second ?? 0) * 300).toBeGreaterThanOrEqual(500);
  });
});

describe("databaseConfig", () => {
  it.each([
    {
      name: "SQLite in the data dir by default",
      url: undefined,
      want: { name: "sqlite3", args: { database: "/d/homeserver.db" } },
    },
    {
      name: "postgres with credentials",
      url: "postgres://synapse:s%40cret@db.local:5544/synapse",
      want: {
        name: "psycopg2",
        args: { user: "synapse", password: "s@cret", dbname: "synapse", host: "db.local", port: 5544, cp_min: 5, cp_max: 10 },
      },
    },
    {
      name: "postgresql scheme, default port, libpq options",
      url: "postgresql://u@127.0.0.1/matrix?sslmode=disable",
      want: {
        name: "psycopg2",
        args: { user: "u", dbname: "matrix", host: "127.0.0.1", port: 5432, cp_min: 5, cp_max: 10, sslmode: "disable" },
      },
    },
  ])("$name", ({ url, want }) => {
    expect(databaseConfig("/d", url)).toEqual(want);
  });

  it.each([
    { url: "mysql://u:p@h/db", error: /postgres:\/\// },
    { url: "postgres://u:p@h:5432/", error: /names no database/ },
  ])("rejects $url", ({ url, error }) => {
    expect(() => databaseConfig("/d", url)).toThrow(error);
  });
});

describe("renderSynapseConfig", () => {
  it("round-trips through YAML, Jinja templates included", () => {
    const cfg = buildSynapseConfig({ ...base, oidc });
    const text = renderSynapseConfig(cfg);
    expect(text.startsWith("#")).toBe(true);
    expect(parse(text)).toEqual(cfg);
  });
});

describe("buildSynapseLogConfig", () => {
  it("keeps the console at WARNING and writes INFO to the file", () => {
    const cfg = buildSynapseLogConfig({ logFile: "/d/homeserver.log" });
    expect(cfg).toMatchObject({
      version: 1,
      handlers: {
        console: { class: "logging.StreamHandler", level: "WARNING" },
        file: { filename: "/d/homeserver.log", level: "INFO" },
      },
      root: { level: "INFO", handlers: ["console", "file"] },
    });
    expect(parse(renderSynapseLogConfig(cfg))).toEqual(cfg);
  });

  it("logs to the console only when no file is given", () => {
    const cfg = buildSynapseLogConfig({ consoleLevel: "INFO" });
    expect(cfg).toMatchObject({ root: { level: "INFO", handlers: ["console"] } });
  });
});

describe("message retention from the retention policy", () => {
  const base = {
    serverName: "stadt.example",
    publicBaseUrl: "https://matrix.stadt.example",
    port: 8008,
    dataDir: "/var/lib/synapse",
    registrationSharedSecret: "s".repeat(32),
    logConfigPath: "/var/lib/synapse/log.yaml",
  };

  it("writes Synapse's retention block with the policy's days, and none when messages live as long as the room", () => {
    expect(buildSynapseConfig({ ...base, messageRetentionDays: 90 }).retention).toEqual({
      enabled: true,
      default_policy: { max_lifetime: "90d" },
      allowed_lifetime_min: "1d",
      allowed_lifetime_max: "90d",
      purge_jobs: [{ interval: "12h" }],
    });
    expect(buildSynapseConfig({ ...base, messageRetentionDays: null }).retention).toBeUndefined();
    expect(buildSynapseConfig(base).retention).toBeUndefined();
  });
});
