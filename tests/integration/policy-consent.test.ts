import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { consentHmac, recordConsentOnHomeserver, writeConsentTemplates } from "../../lib/homeserver/consent";
import { buildSynapseConfig, deriveSecret, renderSynapseConfig } from "../../lib/homeserver/synapse-config";
import { startSynapse, synapsePaths, type RunningSynapse } from "../../lib/homeserver/synapse-process";
import { createLogger } from "../../lib/log";
import { auditLog, people } from "../../drizzle/schema";
import { createTestDb, type TestDb } from "../../lib/db/testing/test-db";
import { acceptRulesAsStaff, homeserverConsentFrom, isConsentTrackingOn, rulesToAccept } from "../../lib/policy/staff-consent";
import { registerUser } from "../../lib/matrix/admin-register";
import { parseConfig } from "../../lib/config/load";
import { homeserverFilesFromConfig } from "../../lib/homeserver/homeserver-files";
import { prepareConsentForStart, recordPortalAcceptances } from "../../lib/homeserver/consent-at-start";
import { publishUsageRules } from "../../lib/guests/usage-rules";
import { staffRulesAcceptances } from "../../drizzle/tables/staff-consent";

/**
 * Consent tracking for staff who only use Element, on a Synapse of its own
 * (the shared test homeserver runs without it, since every other test's users
 * would have to consent first): the rules text becomes Synapse's consent
 * page, an account that has not accepted the current version cannot send,
 * and the portal's HMAC-signed acceptance lets it.
 */

const ROOT = path.resolve(import.meta.dirname, "../..");
const RULES = { version: 1, textDe: "Regeln der Stadt {stadt}: sachlich bleiben. {{ nicht_auswerten }}", textEn: "Rules of {stadt}: stay factual." };

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((r) => server.close(r));
  return port;
}

describe("consent tracking for Element-only staff (own Synapse)", () => {
  let dir: string;
  let synapse: RunningSynapse | undefined;
  let url: string;
  const sharedSecret = randomBytes(24).toString("base64url");
  // What the generated configuration uses as form_secret, so the portal can sign consent links.
  const formSecret = deriveSecret(sharedSecret, "form_secret");

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "stadtfunk-consent-"));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const templateDir = path.join(dir, "consent");
    await writeConsentTemplates(templateDir, RULES, "Musterstadt");
    const paths = synapsePaths(dir);
    synapse = await startSynapse({
      venvDir: path.join(ROOT, ".venv", "synapse"),
      dataDir: dir,
      configYaml: renderSynapseConfig(
        buildSynapseConfig({
          serverName: "consent.test",
          publicBaseUrl: url,
          port,
          dataDir: dir,
          registrationSharedSecret: sharedSecret,
          logConfigPath: paths.logConfig,
          bcryptRounds: 4,
          consent: { templateDir, version: RULES.version },
        }),
      ),
      port,
      url,
      logger: createLogger("synapse", process.env.LOG_LEVEL ?? "error"),
    });
  });

  afterAll(async () => {
    await synapse?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("blocks an account without consent, shows the rules, and lets it write once the portal recorded the acceptance", async () => {
    const user = await registerUser({ homeserverUrl: url, sharedSecret, username: `staff-${randomBytes(4).toString("hex")}`, password: randomBytes(12).toString("base64url"), admin: false });
    const createRoom = () =>
      fetch(`${url}/_matrix/client/v3/createRoom`, {
        method: "POST",
        headers: { Authorization: `Bearer ${user.access_token}`, "Content-Type": "application/json" },
        body: JSON.stringify({ preset: "private_chat" }),
      });

    const blocked = await createRoom();
    expect(blocked.status).toBe(403);
    const error = (await blocked.json()) as { errcode: string; error: string; consent_uri: string };
    expect(error.errcode).toBe("M_CONSENT_NOT_GIVEN");
    expect(error.error).toMatch(/^Bitte stimmen Sie zuerst den Nutzungsregeln zu: http/);

    // The page the link in the error leads to: the city's rules, braces in the text left alone.
    const page = await fetch(`${url}/_matrix/consent?u=${encodeURIComponent(user.user_id)}&h=${consentHmac(formSecret, user.user_id)}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Regeln der Stadt Musterstadt: sachlich bleiben. {{ nicht_auswerten }}");
    expect(html).toContain('name="v" value="1"');

    await expect(recordConsentOnHomeserver(url, "not-the-form-secret", user.user_id, RULES.version)).rejects.toThrow(/HTTP 403/);
    expect((await createRoom()).status).toBe(403);

    await recordConsentOnHomeserver(url, formSecret, user.user_id, RULES.version);
    const allowed = await createRoom();
    expect(allowed.status).toBe(200);
  });

  it("a staff acceptance in the portal is recorded, audited and counts on the homeserver", async () => {
    const testDb: TestDb = await createTestDb();
    try {
      const { db } = testDb;
      const user = await registerUser({ homeserverUrl: url, sharedSecret, username: `staff-${randomBytes(4).toString("hex")}`, password: randomBytes(12).toString("base64url"), admin: false });
      const [person] = await db.insert(people).values({ subject: randomBytes(8).toString("hex"), displayName: "Bernd Bauer", matrixUserId: user.user_id }).returning();
      const pending = await rulesToAccept(db, person!.id);
      expect(pending?.version).toBe(RULES.version);

      const deps = { db, homeserver: { homeserverUrl: url, formSecret }, log: createLogger("test", "silent") };
      await expect(acceptRulesAsStaff(deps, person!, user.user_id, RULES.version + 1)).rejects.toMatchObject({ code: "rules-outdated" });
      await acceptRulesAsStaff(deps, person!, user.user_id, RULES.version);
      await acceptRulesAsStaff(deps, person!, user.user_id, RULES.version);
      expect(await rulesToAccept(db, person!.id)).toBeNull();
      expect((await db.select().from(auditLog)).filter((e) => e.action === "rules.accepted")).toHaveLength(1);

      const res = await fetch(`${url}/_matrix/client/v3/createRoom`, {
        method: "POST",
        headers: { Authorization: `Bearer ${user.access_token}`, "Content-Type": "application/json" },
        body: JSON.stringify({ preset: "private_chat" }),
      });
      expect(res.status).toBe(200);
      // The dashboard holds people back only where the homeserver tracks consent.
      expect(await isConsentTrackingOn(url)).toBe(true);
      expect(await isConsentTrackingOn(inject("homeserverUrl"))).toBe(false);
    } finally {
      await testDb.close();
    }
  }, 120_000);
});

/**
 * What `npm start` does with HOMESERVER_CONSENT=true (scripts/stack.ts): the
 * current rules version is read from the database before the homeserver
 * starts, the generated homeserver.yaml requires it, acceptances given in
 * the portal are recorded, and a newly published version counts on the
 * homeserver after its restart.
 */
describe("consent tracking in the generated homeserver configuration (own Synapse)", () => {
  let dir: string;
  let synapse: RunningSynapse | undefined;
  let testDb: TestDb;
  let url: string;
  let port: number;
  const sharedSecret = randomBytes(24).toString("base64url");
  const asToken = randomBytes(24).toString("base64url");
  const log = createLogger("test", "silent");
  const texts = (marker: string) => ({
    textDe: `Nutzungsregeln der Stadt {stadt}, Fassung ${marker}: sachlich bleiben.`,
    textEn: `Usage rules of {stadt}, edition ${marker}: stay factual.`,
    privacyDe: "Datenschutzhinweise der Stadt: nur das Nötige wird gespeichert.",
    privacyEn: "Privacy notice of the city: only what is needed is stored.",
  });

  async function startFromDatabase(): Promise<number> {
    const config = parseConfig({
      CITY_NAME: "Musterstadt",
      MATRIX_SERVER_NAME: "consent-start.test",
      MATRIX_HOMESERVER_URL: url,
      MATRIX_REGISTRATION_SHARED_SECRET: sharedSecret,
      APPSERVICE_AS_TOKEN: asToken,
      APPSERVICE_HS_TOKEN: randomBytes(24).toString("base64url"),
      HOMESERVER_CONSENT: "true",
    });
    const version = await prepareConsentForStart(testDb.db, config, dir);
    const files = homeserverFilesFromConfig(config, { dataDir: dir, consentVersion: version, bcryptRounds: 4 });
    synapse = await startSynapse({
      venvDir: path.join(ROOT, ".venv", "synapse"),
      dataDir: dir,
      ...files,
      url,
      logger: createLogger("synapse", process.env.LOG_LEVEL ?? "error"),
    });
    return version!;
  }

  const createRoomAs = (token: string, asUserId?: string) =>
    fetch(`${url}/_matrix/client/v3/createRoom${asUserId ? `?user_id=${encodeURIComponent(asUserId)}` : ""}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ preset: "private_chat" }),
    });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "stadtfunk-consent-start-"));
    port = await freePort();
    url = `http://127.0.0.1:${port}`;
    testDb = await createTestDb();
  });

  afterAll(async () => {
    await synapse?.stop();
    await testDb?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("requires the database's current rules, records portal acceptances, exempts the bots, and takes a new version at the restart", async () => {
    const { db } = testDb;
    const second = await publishUsageRules(db, texts("zwei"), null);
    expect(await startFromDatabase()).toBe(second.version);

    const page = await fetch(`${url}/_matrix/consent`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Nutzungsregeln der Stadt Musterstadt, Fassung zwei");

    // Staff who accepted in the portal while the homeserver did not track consent yet.
    const staff = await registerUser({ homeserverUrl: url, sharedSecret, username: `staff-${randomBytes(4).toString("hex")}`, password: randomBytes(12).toString("base64url"), admin: false });
    const other = await registerUser({ homeserverUrl: url, sharedSecret, username: `staff-${randomBytes(4).toString("hex")}`, password: randomBytes(12).toString("base64url"), admin: false });
    const [person] = await db.insert(people).values({ subject: randomBytes(8).toString("hex"), displayName: "Clara Kämmerer", matrixUserId: staff.user_id }).returning();
    await db.insert(people).values({ subject: randomBytes(8).toString("hex"), displayName: "Dieter Dach", matrixUserId: other.user_id });
    await db.insert(staffRulesAcceptances).values({ personId: person!.id, rulesVersion: second.version, homeserverRecordedAt: new Date() });
    expect((await createRoomAs(staff.access_token)).status).toBe(403);

    const homeserver = homeserverConsentFrom({ matrix: { homeserverUrl: url, registrationSharedSecret: sharedSecret } })!;
    expect(await recordPortalAcceptances(db, homeserver, second.version, log)).toBe(1);
    expect((await createRoomAs(staff.access_token)).status).toBe(200);
    // Someone who never accepted stays blocked, with the link to the rules.
    const blocked = await createRoomAs(other.access_token);
    expect(blocked.status).toBe(403);
    expect(((await blocked.json()) as { errcode: string }).errcode).toBe("M_CONSENT_NOT_GIVEN");

    // The service's own accounts (bots, guests) are registered by the application service and never asked.
    const botLocalpart = `_stadtfunk_regeln`;
    const registered = await fetch(`${url}/_matrix/client/v3/register`, {
      method: "POST",
      headers: { Authorization: `Bearer ${asToken}`, "Content-Type": "application/json" },
      body: JSON.stringify({ type: "m.login.application_service", username: botLocalpart }),
    });
    expect(registered.status).toBe(200);
    expect((await createRoomAs(asToken, `@${botLocalpart}:consent-start.test`)).status).toBe(200);

    // A newly published version is what the homeserver requires after its restart, and not before.
    const third = await publishUsageRules(db, texts("drei"), null);
    expect((await createRoomAs(staff.access_token)).status).toBe(200);
    await synapse!.stop();
    synapse = undefined;
    expect(await startFromDatabase()).toBe(third.version);
    const again = await createRoomAs(staff.access_token);
    expect(again.status).toBe(403);
    expect(((await again.json()) as { errcode: string }).errcode).toBe("M_CONSENT_NOT_GIVEN");
    expect(await (await fetch(`${url}/_matrix/consent`)).text()).toContain("Fassung drei");
  }, 180_000);
});
