import { z } from "zod";

/**
 * Every environment key Stadtfunk reads, with its default. `.env.example` is
 * checked against this list by a test, so the two cannot drift apart.
 * Secrets have no default: the demo stack generates them (scripts/stack),
 * production sets them in the environment.
 */

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no", ""])
  .transform((v) => v === "true" || v === "1" || v === "yes");

const port = z.coerce.number().int().min(1).max(65535);

const httpUrl = z
  .url({ protocol: /^https?$/ })
  .transform((u) => u.replace(/\/+$/, ""));


const secret = z.string().min(16, "must be at least 16 characters");

/** Matrix server names: a host name, optionally with a port; no scheme. */
const serverName = z
  .string()
  .regex(/^[a-z0-9.-]+(:\d{1,5})?$/i, "must be a host name such as stadt.example, without https://");

export const envSchema = z.object({
  // --- general ---
  STADTFUNK_DEMO: bool.default(false),
  STADTFUNK_DATA_DIR: z.string().min(1).default(".data"),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
  CITY_NAME: z.string().min(1).max(120).default("Musterstadt"),
  ACCESSIBILITY_CONTACT: z.email("must be an e-mail address").default("barrierefreiheit@musterstadt.example"),

  // --- portal ---
  PORTAL_URL: httpUrl.default("http://127.0.0.1:3000"),
  PORTAL_PORT: port.default(3000),
  AUTH_SECRET: secret.optional(),

  // --- database ---
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
    .optional(),
  PGLITE_PORT: port.default(5433),

  // --- homeserver ---
  MATRIX_SERVER_NAME: serverName.default("stadtfunk.test"),
  MATRIX_HOMESERVER_URL: httpUrl.default("http://127.0.0.1:8008"),
  SYNAPSE_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
    .optional(),
  MATRIX_REGISTRATION_SHARED_SECRET: secret.optional(),
  MATRIX_ADMIN_TOKEN: secret.optional(),
  HOMESERVER_CONSENT: bool.default(false),

  // --- application service (bots and guests) ---
  APPSERVICE_ID: z.string().regex(/^[a-z0-9_-]+$/).default("stadtfunk"),
  APPSERVICE_PORT: port.default(9000),
  APPSERVICE_URL: httpUrl.default("http://127.0.0.1:9000"),
  APPSERVICE_USER_PREFIX: z
    .string()
    .regex(/^_[a-z0-9_]+_$/, "must look like _stadtfunk_ (leading and trailing underscore)")
    .default("_stadtfunk_"),
  APPSERVICE_AS_TOKEN: secret.optional(),
  APPSERVICE_HS_TOKEN: secret.optional(),
  BOTS_DRY_RUN: bool.default(false),
  CLEANUP_INTERVAL_SECONDS: z.coerce.number().int().min(10).max(24 * 3600).default(300),
  CLEANUP_PARALLEL_DELETIONS: z.coerce.number().int().min(1).max(50).default(10),
  CLEANUP_ADMIN_TOKEN: secret.optional(),

  // --- single sign-on ---
  OIDC_ISSUER: httpUrl.default("http://127.0.0.1:3100"),
  OIDC_CLIENT_ID: z.string().min(1).default("stadtfunk-portal"),
  OIDC_CLIENT_SECRET: secret.optional(),
  OIDC_SYNAPSE_CLIENT_ID: z.string().min(1).default("stadtfunk-synapse"),
  OIDC_SYNAPSE_CLIENT_SECRET: secret.optional(),
  OIDC_SCOPES: z.string().min(1).default("openid profile email groups"),
  OIDC_SUBJECT_CLAIM: z.string().min(1).default("sub"),
  OIDC_NAME_CLAIM: z.string().min(1).default("name"),
  OIDC_EMAIL_CLAIM: z.string().min(1).default("email"),
  OIDC_GROUPS_CLAIM: z.string().min(1).default("groups"),
  OIDC_ALLOWED_GROUPS: z.string().default(""),
  OIDC_ADMIN_GROUP: z.string().min(1).default("stadtfunk-admins"),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(5).max(24 * 60).default(120),
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  DEV_IDP_PORT: port.default(3100),

  // --- Jitsi ---
  JITSI_DOMAIN: serverName.default("meet.stadtfunk.test"),
  JITSI_AUTH_MODE: z.enum(["matrix", "jwt", "none"]).default("matrix"),
  JITSI_APP_ID: z.string().min(1).default("stadtfunk"),
  JITSI_APP_SECRET: z.string().min(32, "must be at least 32 characters (HS256 needs a 256-bit key)").optional(),
  JITSI_VERIFIER_TOKEN: secret.optional(),
  JITSI_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(300),

  // --- e-mail (invitations); without SMTP_URL no mail is sent ---
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL")
    .optional(),
  MAIL_FROM: z.string().min(3).default("Stadtfunk <stadtfunk@musterstadt.example>"),
});

export type Env = z.infer<typeof envSchema>;

/** Secrets that are random values; the demo stack generates them. */
export const randomSecrets = [
  "AUTH_SECRET",
  "MATRIX_REGISTRATION_SHARED_SECRET",
  "APPSERVICE_AS_TOKEN",
  "APPSERVICE_HS_TOKEN",
  "OIDC_CLIENT_SECRET",
  "OIDC_SYNAPSE_CLIENT_SECRET",
  "JITSI_VERIFIER_TOKEN",
] as const satisfies readonly (keyof Env)[];

/** Every secret a process may need: the random ones plus the homeserver admin token Synapse issues. */
export const requiredSecrets = [...randomSecrets, "MATRIX_ADMIN_TOKEN"] as const satisfies readonly (keyof Env)[];
