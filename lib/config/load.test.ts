import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "./load";
import { envSchema } from "./schema";

function exampleKeys(): string[] {
  const text = fs.readFileSync(path.resolve(import.meta.dirname, "../../.env.example"), "utf8");
  return text
    .split("\n")
    .map((l) => /^([A-Z0-9_]+)=/.exec(l)?.[1])
    .filter((k): k is string => Boolean(k));
}

describe(".env.example", () => {
  it("documents exactly the keys the schema reads", () => {
    expect(exampleKeys().sort()).toEqual(Object.keys(envSchema.shape).sort());
  });

  it("parses as a valid configuration on its own (every default is valid)", () => {
    const env = Object.fromEntries(exampleKeys().map((k) => [k, ""]));
    expect(() => parseConfig(env)).not.toThrow();
  });
});

describe("parseConfig", () => {
  it("applies defaults and derives the embedded database URL", () => {
    const c = parseConfig({});
    expect(c.portal.url).toBe("http://127.0.0.1:3000");
    expect(c.database).toMatchObject({ embedded: true, pglitePort: 5433 });
    expect(c.database.url).toBe("postgres://postgres:postgres@127.0.0.1:5433/postgres");
    expect(c.oidc.scopes).toEqual(["openid", "profile", "email", "groups"]);
    expect(c.demo).toBe(false);
  });

  it("uses DATABASE_URL when set", () => {
    const c = parseConfig({ DATABASE_URL: "postgres://u:p@db:5432/sf" });
    expect(c.database).toMatchObject({ embedded: false, url: "postgres://u:p@db:5432/sf" });
  });

  it.each([
    ["PORTAL_PORT", "abc"],
    ["PORTAL_PORT", "70000"],
    ["PORTAL_URL", "ftp://x"],
    ["MATRIX_SERVER_NAME", "https://stadt.example"],
    ["DATABASE_URL", "mysql://x"],
    ["LOG_LEVEL", "loud"],
    ["STADTFUNK_DEMO", "maybe"],
    ["APPSERVICE_USER_PREFIX", "guest"],
    ["AUTH_SECRET", "short"],
  ])("rejects %s=%s with a message naming the key", (key, value) => {
    expect(() => parseConfig({ [key]: value })).toThrow(ConfigError);
    expect(() => parseConfig({ [key]: value })).toThrow(new RegExp(`${key}:`));
  });

  it("names every missing secret a process needs", () => {
    try {
      parseConfig({}, ["APPSERVICE_AS_TOKEN", "APPSERVICE_HS_TOKEN"]);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems).toEqual([
        "APPSERVICE_AS_TOKEN: is required and has no default",
        "APPSERVICE_HS_TOKEN: is required and has no default",
      ]);
    }
  });

  it("requires the Jitsi app secret only in jwt mode", () => {
    expect(() => parseConfig({ JITSI_AUTH_MODE: "jwt" })).toThrow(/JITSI_APP_SECRET: is required when JITSI_AUTH_MODE=jwt/);
    expect(parseConfig({ JITSI_AUTH_MODE: "none" }).jitsi.appSecret).toBe("");
  });

  it("reads the allowed groups as a list", () => {
    expect(parseConfig({ OIDC_ALLOWED_GROUPS: " bauamt, it ,," }).oidc.allowedGroups).toEqual(["bauamt", "it"]);
  });

  it("strips trailing slashes from URLs", () => {
    expect(parseConfig({ MATRIX_HOMESERVER_URL: "https://matrix.stadt.example/" }).matrix.homeserverUrl).toBe(
      "https://matrix.stadt.example",
    );
  });
});
