import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseConfig } from "../config/load";
import { consentTemplateDir, homeserverFilesFromConfig } from "./homeserver-files";

const base = {
  MATRIX_SERVER_NAME: "city.test",
  MATRIX_REGISTRATION_SHARED_SECRET: "s".repeat(32),
  APPSERVICE_AS_TOKEN: "a".repeat(32),
  APPSERVICE_HS_TOKEN: "h".repeat(32),
};

describe("consent tracking in the generated homeserver.yaml (what npm start writes)", () => {
  it("requires the usage-rules version read at start and serves the consent form when HOMESERVER_CONSENT is on", () => {
    const config = parseConfig({ ...base, HOMESERVER_CONSENT: "true" });
    const yaml = parse(homeserverFilesFromConfig(config, { dataDir: "/srv/synapse", consentVersion: 3 }).configYaml) as {
      user_consent: Record<string, unknown>;
      listeners: { resources: { names: string[] }[] }[];
      form_secret: string;
    };
    expect(yaml.user_consent).toMatchObject({
      template_dir: consentTemplateDir("/srv/synapse"),
      version: "3",
      require_at_registration: false,
    });
    expect(yaml.user_consent.block_events_error).toContain("%(consent_uri)s");
    expect(yaml.listeners[0]!.resources[0]!.names).toContain("consent");
    // The portal signs its consent links with this secret (lib/policy/staff-consent).
    expect(yaml.form_secret).toMatch(/.{16,}/);
  });

  it("has no consent block when the switch is off, or when no rules version was read", () => {
    const off = parseConfig(base);
    expect(off.matrix.consentTracking).toBe(false);
    const withoutSwitch = parse(homeserverFilesFromConfig(off, { dataDir: "/srv/synapse", consentVersion: 3 }).configYaml) as Record<string, unknown>;
    expect(withoutSwitch).not.toHaveProperty("user_consent");
    const on = parseConfig({ ...base, HOMESERVER_CONSENT: "true" });
    const withoutVersion = parse(homeserverFilesFromConfig(on, { dataDir: "/srv/synapse" }).configYaml) as Record<string, unknown>;
    expect(withoutVersion).not.toHaveProperty("user_consent");
  });
});
