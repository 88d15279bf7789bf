import crypto from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBots, type BotsOptions, type RunningBots } from "../../bots/main";
import { storedAdminRoom } from "../../bots/policy/admin-room";
import { captureLogger } from "../../bots/shared/capture-logger";
import { auditLog, people, rooms, type Person } from "../../drizzle/schema";
import { floodRestrictions } from "../../drizzle/tables/policy";
import type { AppConfig } from "../../lib/config/load";
import type { DbHandle } from "../../lib/db/client";
import { isAppError } from "../../lib/errors";
import { createServiceClient } from "../../lib/matrix/service-client";
import { currentPolicy, readCurrentPolicy, savePolicyByAdmin } from "../../lib/policy/policy-store";
import { DEFAULT_POLICY, type UsagePolicy } from "../../lib/policy/usage-policy";
import { createManagedRoom } from "../../lib/rooms/create-room";
import { createRoomInput } from "../../lib/rooms/create-room-input";
import { buildCreateRoomBody, powerLevels } from "../../lib/rooms/room-state";
import { api, botsConfig, enc, hs, ok, say, stateEvent, timeline, waitFor, type Json, startBotsTestDb, type BotsTestDb } from "./setup/bots-harness";
import { createTestUser, type TestUser } from "./setup/matrix-users";

/**
 * The usage policy from the database, enforced by the policy bot against a
 * real Synapse: admin edits (audited, invalid ones refused), the template
 * rolled out and defended, uploads judged by their bytes and deleted from the
 * media store, flood protection (warn, mute, lift after a restart), the admin
 * room's commands, and dry run. Room version 12 (as the service creates
 * rooms) and 11.
 */

async function upload(user: TestUser, bytes: Uint8Array<ArrayBuffer>, contentType: string, filename: string): Promise<string> {
  const res = await fetch(`${hs}/_matrix/media/v3/upload?filename=${enc(filename)}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${user.accessToken}`, "Content-Type": contentType },
    body: bytes,
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { content_uri: string }).content_uri;
}

async function downloadStatus(user: TestUser, mxc: string): Promise<number> {
  const [server, mediaId] = mxc.slice("mxc://".length).split("/");
  const res = await fetch(`${hs}/_matrix/client/v1/media/download/${enc(server!)}/${enc(mediaId!)}`, {
    headers: { Authorization: `Bearer ${user.accessToken}` },
  });
  await res.arrayBuffer();
  return res.status;
}

/** A Windows program's first bytes: what an .exe renamed to .png really is. */
const PROGRAM = Uint8Array.from([...Buffer.from("MZ\x90\x00\x03\x00\x00\x00", "latin1"), ...Buffer.from("This program cannot be run in DOS mode.\r\n", "latin1"), ...new Uint8Array(512)]);
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...Buffer.from("\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00", "latin1")]);

describe("usage policy from the database, enforced by the policy bot (real Synapse)", () => {
  let config: AppConfig;
  let store: BotsTestDb | undefined;
  let handle: DbHandle;
  let bots: RunningBots | undefined;
  let log = captureLogger("info");
  let admin: TestUser;
  let organiser: TestUser;
  let colleague: TestUser;
  let adminRow: Person;
  let organiserRow: Person;
  let colleagueRow: Person;
  const roomsByVersion: Record<"12" | "11", string> = { "12": "", "11": "" };

  async function restartBots(options: Omit<BotsOptions, "db"> = {}): Promise<void> {
    await bots?.stop();
    log = captureLogger("info");
    bots = await startBots(config, log.logger, { db: handle.db, policyCheckIntervalMs: 500, ...options });
  }

  const auditFor = (subject: string, action: string) =>
    handle.db.select().from(auditLog).where(and(eq(auditLog.subject, subject), eq(auditLog.action, action)));
  const audited = (subject: string, action: string, count = 1) =>
    waitFor(`${count} audit entries ${action}`, async () => {
      const found = await auditFor(subject, action);
      return found.length >= count ? found : undefined;
    });

  async function savePolicy(change: (p: UsagePolicy) => UsagePolicy) {
    const saved = await savePolicyByAdmin(handle.db, adminRow.id, change(structuredClone((await readCurrentPolicy(handle.db)).policy)));
    await bots!.policy.check();
    return saved;
  }

  beforeAll(async () => {
    admin = await createTestUser({ admin: true });
    config = botsConfig({ MATRIX_ADMIN_TOKEN: admin.accessToken });
    store = await startBotsTestDb("policy");
    handle = store.handle;
    [organiser, colleague] = await Promise.all([createTestUser(), createTestUser()]);
    [adminRow, organiserRow, colleagueRow] = (await handle.db
      .insert(people)
      .values([
        { subject: crypto.randomUUID(), displayName: "Anna Admin", matrixUserId: admin.userId, username: admin.localpart, role: "admin" },
        { subject: crypto.randomUUID(), displayName: "Olga Organisatorin", matrixUserId: organiser.userId, username: organiser.localpart },
        { subject: crypto.randomUUID(), displayName: "Carl Kollege", matrixUserId: colleague.userId, username: colleague.localpart },
      ])
      .returning()) as [Person, Person, Person];
    await restartBots();

    // Version 12, as the service creates every managed room.
    const room = await createManagedRoom(
      { db: handle.db, service: createServiceClient(config), config, log: log.logger, discardRoom: async () => {} },
      organiserRow,
      createRoomInput.parse({ kind: "team", name: "Bauausschuss", participantIds: [colleagueRow.id], idempotencyKey: crypto.randomUUID() }),
    );
    roomsByVersion["12"] = room.matrixRoomId!;

    // Version 11, where the bot holds its power through `users`.
    const body = buildCreateRoomBody({
      kind: "team",
      name: "Raum v11",
      topic: "",
      startsAt: null,
      endsAt: null,
      organiserUserId: organiser.userId,
      inviteUserIds: [organiser.userId, colleague.userId],
      serverName: config.matrix.serverName,
      jitsi: { domain: "meet.stadt.example", authMode: "none" },
      conferenceId: crypto.randomBytes(16).toString("hex"),
      widgetId: "jitsi_v11",
    });
    const v11 = await createServiceClient(config).createRoom({
      ...body,
      room_version: "11",
      power_level_content_override: { ...powerLevels(organiser.userId), users: { [organiser.userId]: 100, [bots!.botUserId]: 100 } },
    });
    await handle.db.insert(rooms).values({
      matrixRoomId: v11,
      kind: "team",
      name: "Raum v11",
      organiserId: organiserRow.id,
      access: "invited",
      conferenceId: "x",
      widgetId: "jitsi_v11",
      idempotencyKey: crypto.randomUUID(),
      status: "active",
    });
    roomsByVersion["11"] = v11;
    for (const id of Object.values(roomsByVersion)) {
      await ok(organiser, "POST", `/join/${enc(id)}`, {});
      await ok(colleague, "POST", `/join/${enc(id)}`, {});
    }
  });

  afterAll(async () => {
    await bots?.stop();
    await store?.stop();
  });

  describe("the policy bot's own user", () => {
    it("is invited with power 100 in a new room's creation call; an older room does not have it before its first use", async () => {
      const policyBot = bots!.policyBotUserId;
      expect(policyBot).toBe(`@${config.appservice.userPrefix}regeln:${config.matrix.serverName}`);
      const v12 = roomsByVersion["12"];
      expect(((await stateEvent(organiser, v12, "m.room.power_levels"))!.users as Json)[policyBot]).toBe(100);
      expect(["invite", "join"]).toContain((await stateEvent(organiser, v12, "m.room.member", policyBot))?.membership);
      const v11 = roomsByVersion["11"];
      expect(((await stateEvent(organiser, v11, "m.room.power_levels"))!.users as Json)[policyBot]).toBeUndefined();
      expect(await stateEvent(organiser, v11, "m.room.member", policyBot)).toBeUndefined();
      const profile = await ok(organiser, "GET", `/profile/${enc(policyBot)}`);
      expect(profile.displayname).toBe("Stadtfunk Regeln");
    });
  });

  describe("admin edits", () => {
    it("starts from the code's defaults (version 0)", async () => {
      expect(await readCurrentPolicy(handle.db)).toMatchObject({ version: 0, policy: DEFAULT_POLICY });
    });

    it("refuses an invalid edit with field errors and keeps the old policy; refuses non-admins", async () => {
      const bad = { ...DEFAULT_POLICY, powerLevels: { ...DEFAULT_POLICY.powerLevels, kick: 0, invite: 120 } };
      const err = await savePolicyByAdmin(handle.db, adminRow.id, bad).catch((e: unknown) => e);
      expect(isAppError(err) && err.status).toBe(400);
      expect(isAppError(err) && Object.keys(err.fieldErrors).sort()).toEqual(["powerLevels.invite", "powerLevels.kick"]);
      const notAdmin = await savePolicyByAdmin(handle.db, organiserRow.id, DEFAULT_POLICY).catch((e: unknown) => e);
      expect(isAppError(notAdmin) && notAdmin.status).toBe(403);
      expect((await readCurrentPolicy(handle.db)).version).toBe(0);
      expect(await handle.db.select().from(auditLog).where(eq(auditLog.action, "policy.changed"))).toEqual([]);
    });

    it("saves a new version, audits before and after, and rolls the template out to every managed room", async () => {
      const saved = await savePolicy((p) => ({ ...p, powerLevels: { ...p.powerLevels, invite: 100 } }));
      expect(saved.version).toBe(1);
      const [entry] = await handle.db.select().from(auditLog).where(eq(auditLog.action, "policy.changed"));
      expect(entry).toMatchObject({
        actor: adminRow.id,
        subject: "usage-policy:1",
        details: { previousVersion: 0, version: 1, before: { powerLevels: { invite: 50 } }, after: { powerLevels: { invite: 100 } } },
      });
      expect((await currentPolicy(handle.db, Date.now() + 60_000)).version).toBe(1);
      for (const id of Object.values(roomsByVersion)) {
        await waitFor("the new invite level", async () => ((await stateEvent(organiser, id, "m.room.power_levels"))?.invite === 100 ? true : undefined));
        expect((await auditFor(id, "policy.template-applied"))[0]?.details).toMatchObject({ policyVersion: 1, before: { invite: 50 }, after: { invite: 100 } });
      }
    });

    it.each(["12", "11"] as const)("room version %s: a member lowering a level below the stored policy is reverted", async (version) => {
      const id = roomsByVersion[version];
      const before = (await stateEvent(organiser, id, "m.room.power_levels"))!;
      const lowered = (await ok(organiser, "PUT", `/rooms/${enc(id)}/state/m.room.power_levels/`, { ...before, invite: 50 })).event_id;
      await waitFor("invite back at 100", async () => ((await stateEvent(organiser, id, "m.room.power_levels"))?.invite === 100 ? true : undefined));
      const entries = await audited(id, "policy.power-levels-restored");
      const restored = entries.find((e) => e.details.offendingEventId === lowered)!;
      expect(restored.details).toMatchObject({ before: { invite: 50 }, after: { invite: 100 } });
      // Reverted by "Stadtfunk Regeln", which the older room (v11) got at its first use: joined, at 100.
      const policyBot = bots!.policyBotUserId;
      const restoring = await ok(organiser, "GET", `/rooms/${enc(id)}/event/${enc(restored.details.restoringEventId as string)}`);
      expect(restoring.sender).toBe(policyBot);
      expect((await stateEvent(organiser, id, "m.room.member", policyBot))?.membership).toBe("join");
      expect(((await stateEvent(organiser, id, "m.room.power_levels"))!.users as Json)[policyBot]).toBe(100);
    });
  });

  describe("room naming rule", () => {
    it("is checked at creation, and a rename against it is set back by the bot", async () => {
      await savePolicy((p) => ({ ...p, roomNaming: { kind: "prefix", value: "BA-" } }));
      const create = (name: string) =>
        createManagedRoom(
          { db: handle.db, service: createServiceClient(config), config, log: log.logger, discardRoom: async () => {} },
          organiserRow,
          createRoomInput.parse({ kind: "team", name, participantIds: [], idempotencyKey: crypto.randomUUID() }),
        );
      const refused = await create("Feierabendrunde").catch((e: unknown) => e);
      expect(isAppError(refused) && refused.status).toBe(400);
      expect(isAppError(refused) && refused.fieldErrors.name).toMatch(/BA-/);
      const id = (await create("BA-Bauausschuss")).matrixRoomId!;
      await ok(organiser, "POST", `/join/${enc(id)}`, {});
      // Created with the levels of the policy in force, not raised afterwards.
      expect((await stateEvent(organiser, id, "m.room.power_levels"))?.invite).toBe(100);
      expect(await auditFor(id, "policy.power-levels-restored")).toEqual([]);
      await ok(organiser, "PUT", `/rooms/${enc(id)}/state/m.room.name/`, { name: "Feierabendrunde" });
      await waitFor("the name to be set back", async () => ((await stateEvent(organiser, id, "m.room.name"))?.name === "BA-Bauausschuss" ? true : undefined));
      const [entry] = await audited(id, "policy.room-name-restored");
      expect(entry!.details).toMatchObject({ changedBy: organiser.userId, before: { name: "Feierabendrunde" }, after: { name: "BA-Bauausschuss" } });
      await savePolicy((p) => ({ ...p, roomNaming: { kind: "none" } }));
    });
  });

  describe("uploads judged by content", () => {
    it.each(["12", "11"] as const)("room version %s: a program renamed to .png is redacted and deleted from the media store", async (version) => {
      const id = roomsByVersion[version];
      const mxc = await upload(colleague, PROGRAM, "image/png", "foto.png");
      expect(await downloadStatus(colleague, mxc)).toBe(200);
      const sent = (await ok(colleague, "PUT", `/rooms/${enc(id)}/send/m.room.message/${crypto.randomUUID()}`, {
        msgtype: "m.image",
        body: "foto.png",
        url: mxc,
        info: { mimetype: "image/png", size: PROGRAM.byteLength },
      })).event_id as string;
      const [entry] = await audited(id, "policy.upload-removed");
      expect(entry!.details).toMatchObject({ offendingEventId: sent, changedBy: colleague.userId, declaredType: "image/png", sniffedType: "application/x-msdownload", mediaDeleted: true });
      const event = await ok(organiser, "GET", `/rooms/${enc(id)}/event/${enc(sent)}`);
      expect(event.content).toEqual({});
      expect(await downloadStatus(colleague, mxc)).toBe(404);
      const notice = await waitFor("the upload notice", async () =>
        (await timeline(organiser, id)).find((e) => e.sender === bots!.policyBotUserId && String((e.content as Json).body).includes("Eine Datei wurde entfernt")),
      );
      expect(String((notice.content as Json).body)).toContain("application/x-msdownload");
    });

    it("keeps an allowed picture and removes one over the size limit", async () => {
      const id = roomsByVersion["12"];
      const okMxc = await upload(colleague, PNG, "image/png", "ok.png");
      const kept = (await ok(colleague, "PUT", `/rooms/${enc(id)}/send/m.room.message/${crypto.randomUUID()}`, { msgtype: "m.image", body: "ok.png", url: okMxc })).event_id as string;
      await savePolicy((p) => ({ ...p, attachments: { ...p.attachments, maxBytes: 2048 } }));
      const bigMxc = await upload(colleague, Uint8Array.from([...PNG, ...new Uint8Array(4096)]), "image/png", "gross.png");
      const big = (await ok(colleague, "PUT", `/rooms/${enc(id)}/send/m.room.message/${crypto.randomUUID()}`, { msgtype: "m.image", body: "gross.png", url: bigMxc })).event_id as string;
      const entries = await audited(id, "policy.upload-removed", 2);
      expect(entries.find((e) => e.details.offendingEventId === big)?.details).toMatchObject({ reason: "too-large", mediaDeleted: true });
      expect(entries.some((e) => e.details.offendingEventId === kept)).toBe(false);
      expect((await ok(organiser, "GET", `/rooms/${enc(id)}/event/${enc(kept)}`)).content).toMatchObject({ url: okMxc });
      expect(await downloadStatus(colleague, okMxc)).toBe(200);
    });
  });

  describe("flood protection", () => {
    it("warns, then mutes, and a durable timer lifts the mute after a restart", async () => {
      await savePolicy((p) => ({ ...p, flood: { enabled: true, messages: 3, windowSeconds: 60, muteMinutes: 1 } }));
      const id = roomsByVersion["12"];
      // Someone who has not written yet: the window counts every message a person sent before.
      const flooder = await createTestUser();
      await ok(organiser, "POST", `/rooms/${enc(id)}/invite`, { user_id: flooder.userId });
      await ok(flooder, "POST", `/join/${enc(id)}`, {});
      for (let i = 1; i <= 4; i++) await say(flooder, id, `Nachricht ${i}`);
      await waitFor("the flood warning", async () => {
        const w = await auditFor(id, "policy.flood-warned");
        return w.length > 0 ? w : undefined;
      });
      await say(flooder, id, "Nachricht 5");
      const [muted] = await audited(id, "policy.flood-restricted");
      expect(muted!.details).toMatchObject({ changedBy: flooder.userId, before: { level: null }, after: { level: -1 } });
      const levels = (await stateEvent(organiser, id, "m.room.power_levels"))!;
      expect((levels.users as Json)[flooder.userId]).toBe(-1);
      expect((await api(flooder, "PUT", `/rooms/${enc(id)}/send/m.room.message/${crypto.randomUUID()}`, { msgtype: "m.text", body: "noch eine" })).status).toBe(403);
      // The notice follows the mute and its audit entry.
      const notices = await waitFor("the warning and the mute notice", async () => {
        const bodies = (await timeline(organiser, id)).filter((e) => e.sender === bots!.policyBotUserId).map((e) => String((e.content as Json).body));
        return bodies.some((b) => b.includes("Bitte langsamer")) && bodies.some((b) => b.includes("nicht schreiben")) ? bodies : undefined;
      });
      expect(notices.filter((b) => b.includes(flooder.userId))).toHaveLength(2);

      // Moderators are never limited.
      for (let i = 1; i <= 6; i++) await say(organiser, id, `Moderation ${i}`);

      // The mute's end passes while the bots are down; the restarted bots lift it.
      await bots!.stop();
      await handle.db.update(floodRestrictions).set({ endsAt: new Date(Date.now() - 1_000) }).where(eq(floodRestrictions.roomId, id));
      await restartBots();
      await bots!.sweep;
      await waitFor("the mute to be lifted", async () => {
        const users = (await stateEvent(organiser, id, "m.room.power_levels"))!.users as Json;
        return users[flooder.userId] === undefined ? true : undefined;
      });
      await audited(id, "policy.flood-lifted");
      expect(await auditFor(id, "policy.flood-restricted")).toHaveLength(1);
      await say(flooder, id, "wieder da");
      await savePolicy((p) => ({ ...p, flood: DEFAULT_POLICY.flood }));
    });
  });

  describe("admin room", () => {
    let adminRoom: string;
    beforeAll(async () => {
      adminRoom = (await storedAdminRoom(handle.db))!;
      expect(adminRoom).toMatch(/^!/);
      await ok(admin, "POST", `/join/${enc(adminRoom)}`, {});
      await createServiceClient(config).invite(adminRoom, colleague.userId);
      await ok(colleague, "POST", `/join/${enc(adminRoom)}`, {});
    });

    const replyTo = (eventId: string) =>
      waitFor(`the reply to ${eventId}`, async () =>
        (await timeline(admin, adminRoom)).find((e) => ((e.content as Json)["m.relates_to"] as Json | undefined)?.["m.in_reply_to"] && (((e.content as Json)["m.relates_to"] as Json)["m.in_reply_to"] as Json).event_id === eventId),
      );

    it("has the enforcements reported in it", async () => {
      const bodies = await waitFor("the reports", async () => {
        const found = (await timeline(admin, adminRoom)).filter((e) => e.sender === bots!.botUserId).map((e) => String((e.content as Json).body));
        return found.some((b) => b.includes("stummgeschaltet")) ? found : undefined;
      });
      expect(bodies.some((b) => b.startsWith("Datei von"))).toBe(true);
      expect(bodies.some((b) => b.startsWith("Nutzungsrichtlinie Version 1 gilt"))).toBe(true);
    });

    it("answers !status and !richtlinie from an admin", async () => {
      const status = await replyTo(await say(admin, adminRoom, "!status"));
      expect(String((status.content as Json).body)).toMatch(/^Status: Bots laufen seit .*Richtlinie: Version \d+/);
      const policy = await replyTo(await say(admin, adminRoom, "!policy"));
      expect(String((policy.content as Json).body)).toMatch(/Nutzungsrichtlinie Version \d+.*Einladen 100/);
      const help = await replyTo(await say(admin, adminRoom, "!status bitte"));
      expect(String((help.content as Json).body)).toMatch(/^Befehle im Administrationsraum/);
    });

    it("refuses a non-admin with the reason", async () => {
      const refused = await replyTo(await say(colleague, adminRoom, "!status"));
      expect(String((refused.content as Json).body)).toMatch(/^Nur Administratorinnen und Administratoren/);
    });
  });

  describe("dry run", () => {
    it("changes nothing: the disallowed upload stays, and is only logged", async () => {
      await restartBots({ isDryRun: true });
      const id = roomsByVersion["12"];
      const before = (await auditFor(id, "policy.upload-removed")).length;
      const mxc = await upload(colleague, PROGRAM, "image/png", "noch-ein-foto.png");
      const sent = (await ok(colleague, "PUT", `/rooms/${enc(id)}/send/m.room.message/${crypto.randomUUID()}`, { msgtype: "m.image", body: "x.png", url: mxc })).event_id as string;
      await waitFor("the dry-run log line", async () => log.lines.find((l) => l.msg === "policy: would remove upload (dry run)" && l.eventId === sent));
      expect((await ok(organiser, "GET", `/rooms/${enc(id)}/event/${enc(sent)}`)).content).toMatchObject({ url: mxc });
      expect(await downloadStatus(colleague, mxc)).toBe(200);
      expect(await auditFor(id, "policy.upload-removed")).toHaveLength(before);
      await restartBots();
    });
  });
});
