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
import { acceptRulesAsStaff, isConsentTrackingOn, rulesToAccept } from "../../lib/policy/staff-consent";
import { registerUser } from "../../lib/matrix/admin-register";

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
