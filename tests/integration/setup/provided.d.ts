import "vitest";

/** What tests/integration/setup/global-setup.ts hands every integration test via inject(). */
declare module "vitest" {
  export interface ProvidedContext {
    /** The throwaway Synapse, e.g. http://127.0.0.1:40123 (no trailing slash). */
    homeserverUrl: string;
    serverName: string;
    registrationSharedSecret: string;
    appserviceId: string;
    asToken: string;
    hsToken: string;
    /** A free loopback port Synapse pushes transactions to; a bots test listens there itself. */
    appservicePort: number;
    appserviceUrl: string;
    /** Localpart prefix of the exclusive appservice namespace, e.g. _stadtfunk_. */
    userPrefix: string;
    /** Where the OIDC provider is expected; nothing listens until a test starts an IdP there. */
    oidcIssuer: string;
    oidcIdpPort: number;
    oidcClientId: string;
    oidcClientSecret: string;
    /** The portal URL Synapse may redirect to after SSO without a confirmation page. */
    portalUrl: string;
    /** Synapse's data directory (config, SQLite, homeserver.log); removed at teardown. */
    dataDir: string;
  }
}

export {};
