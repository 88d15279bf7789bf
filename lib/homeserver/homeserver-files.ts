import path from "node:path";
import { stringify } from "yaml";
import type { AppConfig } from "../config/load";
import { buildAppserviceRegistration } from "../matrix/appservice-registration";
import { buildSynapseLogConfig, renderSynapseLogConfig } from "./log-config";
import { buildSynapseConfig, renderSynapseConfig } from "./synapse-config";
import { synapsePaths } from "./synapse-process";
import { guestLimitsModule } from "./modules/guest-limits-module";

/** Where the consent form's templates are written (lib/homeserver/consent-at-start). */
export function consentTemplateDir(dataDir: string): string {
  return path.join(dataDir, "consent");
}

export interface HomeserverFiles {
  configYaml: string;
  appserviceRegistrationYaml: string;
  logConfigYaml: string;
  port: number;
}

/**
 * The homeserver's files, generated from the same configuration the portal and
 * the bots read, so the three cannot disagree (server name, tokens, SSO client).
 */
export function homeserverFilesFromConfig(
  config: AppConfig,
  opts: {
    dataDir: string;
    bcryptRounds?: number;
    /** Approved partners' server names, read from the database at start (lib/federation). */
    partnerServerNames?: readonly string[];
    /** The retention policy's message lifetime, read from the database at start (lib/lifecycle). */
    messageRetentionDays?: number | null;
    /**
     * The current usage-rules version, read from the database at start; with
     * HOMESERVER_CONSENT the homeserver requires it (templates: consentTemplateDir).
     */
    consentVersion?: number;
  },
): HomeserverFiles {
  const paths = synapsePaths(opts.dataDir);
  const url = new URL(config.matrix.homeserverUrl);
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  const synapse = buildSynapseConfig({
    serverName: config.matrix.serverName,
    publicBaseUrl: config.matrix.homeserverUrl,
    port,
    dataDir: opts.dataDir,
    databaseUrl: config.matrix.synapseDatabaseUrl,
    registrationSharedSecret: config.matrix.registrationSharedSecret,
    appserviceRegistrationPaths: [paths.appserviceRegistration],
    oidc: config.oidc.synapseClientSecret
      ? {
          issuer: config.oidc.issuer,
          clientId: config.oidc.synapseClientId,
          clientSecret: config.oidc.synapseClientSecret,
          scopes: config.oidc.scopes,
          subjectClaim: config.oidc.subjectClaim,
          nameClaim: config.oidc.nameClaim,
          emailClaim: config.oidc.emailClaim,
          groupsClaim: config.oidc.groupsClaim,
          allowedGroups: config.oidc.allowedGroups,
          idpName: config.cityName,
        }
      : undefined,
    ssoClientWhitelist: [`${config.portal.url}/`],
    logConfigPath: paths.logConfig,
    // Closed federation: our own server and the approved partners, nobody else.
    federationDomainWhitelist: [config.matrix.serverName, ...(opts.partnerServerNames ?? [])],
    jitsiDomain: config.jitsi.domain,
    // Guests hold their own Matrix token; this module keeps them to their one room (README, Guests).
    modules: [guestLimitsModule(config)],
    bcryptRounds: opts.bcryptRounds,
    messageRetentionDays: opts.messageRetentionDays,
    consent:
      config.matrix.consentTracking && opts.consentVersion !== undefined
        ? { templateDir: consentTemplateDir(opts.dataDir), version: opts.consentVersion }
        : undefined,
  });
  return {
    configYaml: renderSynapseConfig(synapse),
    appserviceRegistrationYaml: stringify(buildAppserviceRegistration(config)),
    logConfigYaml: renderSynapseLogConfig(buildSynapseLogConfig({ logFile: paths.logFile })),
    port,
  };
}
