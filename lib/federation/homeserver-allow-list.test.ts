import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseConfig } from "../config/load";
import { homeserverFilesFromConfig } from "../homeserver/homeserver-files";

describe("the generated homeserver configuration", () => {
  const config = parseConfig({
    MATRIX_SERVER_NAME: "city.test",
    MATRIX_REGISTRATION_SHARED_SECRET: "s".repeat(32),
    APPSERVICE_AS_TOKEN: "a".repeat(32),
    APPSERVICE_HS_TOKEN: "h".repeat(32),
  });

  it("federates with our own server and the approved partners only, and trusts no key server", () => {
    const files = homeserverFilesFromConfig(config, { dataDir: "/srv/synapse", partnerServerNames: ["company.test", "housing.test:8448"] });
    const yaml = parse(files.configYaml) as Record<string, unknown>;
    expect(yaml.federation_domain_whitelist).toEqual(["city.test", "company.test", "housing.test:8448"]);
    expect(yaml.trusted_key_servers).toEqual([]);
    expect(yaml).not.toHaveProperty("federation_custom_ca_list");
    expect(yaml).not.toHaveProperty("ip_range_whitelist");
  });

  it("is closed to everyone else when no partner is approved", () => {
    const yaml = parse(homeserverFilesFromConfig(config, { dataDir: "/srv/synapse" }).configYaml) as Record<string, unknown>;
    expect(yaml.federation_domain_whitelist).toEqual(["city.test"]);
  });
});
