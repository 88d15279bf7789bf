import crypto from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startBots, type BotsOptions, type RunningBots } from "../../bots/main";
import { captureLogger } from "../../bots/shared/capture-logger";
import { appserviceTransactions, auditLog, guestLinks, people, rooms, type Person } from "../../drizzle/schema";
import { hashLinkSecret } from "../../lib/guests/link-secret";
import type { DbHandle } from "../../lib/db/client";
import { createServiceClient } from "../../lib/matrix/service-client";
import { createManagedRoom } from "../../lib/rooms/create-room";
import { createRoomInput } from "../../lib/rooms/create-room-input";
import { buildCreateRoomBody, powerLevels } from "../../lib/rooms/room-state";
import { api, botsConfig, enc, ok, say, stateEvent, timeline, waitFor, type Json, startBotsTestDb, type BotsTestDb } from "./setup/bots-harness";
import { createTestUser, type TestUser } from "./setup/matrix-users";

/**
 * The bots as one application service against a real Synapse: transactions
 * delivered twice and after a restart, moderator commands, and the policy
 * bot restoring managed rooms (room version 12 as the service creates them,
 * and version 11).
 */

async function membership(user: TestUser, roomId: string, userId: string): Promise<unknown> {
  return (await stateEvent(user, roomId, "m.room.member", userId))?.membership;
}

function repliesTo(events: Json[], eventId: string): Json[] {
  return events.filter((e) => {
    const relation = (e.content as Json | undefined)?.["m.relates_to"] as { "m.in_reply_to"?: { event_id?: string } } | undefined;
    return relation?.["m.in_reply_to"]?.event_id === eventId;
  });
}

async function replyTo(user: TestUser, roomId: string, eventId: string): Promise<Json> {
  return waitFor(`the reply to ${eventId}`, async () => repliesTo(await timeline(user, roomId), eventId)[0]);
}

/** A transaction as Synapse pushes it, sent by the test itself with the homeserver's token. */
async function pushTransaction(txnId: string, events: Json[]): Promise<number> {
  const res = await fetch(`${inject("appserviceUrl")}/_matrix/app/v1/transactions/${enc(txnId)}`, {
    method: "PUT",
    headers: { Authorization: `Bearer ${inject("hsToken")}`, "Content-Type": "application/json" },
    body: JSON.stringify({ events }),
  });
  return res.status;
}

function fakeEvent(fields: { type: string; roomId: string; sender: string; content: Json; stateKey?: string }): Json {
  return {
    type: fields.type,
    event_id: `$test-${crypto.randomBytes(8).toString("hex")}`,
    room_id: fields.roomId,
    sender: fields.sender,
    origin_server_ts: Date.now(),
    content: fields.content,
    ...(fields.stateKey !== undefined ? { state_key: fields.stateKey } : {}),
    unsigned: {},
  };
}

describe("bots as one application service (real Synapse)", () => {
  const config = botsConfig();
  const server = config.matrix.serverName;
  let store: BotsTestDb | undefined;
  let handle: DbHandle;
  let bots: RunningBots | undefined;
  let log = captureLogger("info");
  let organiser: TestUser;
  let colleague: TestUser;
  let organiserRow: Person;
  let colleagueRow: Person;
  let roomId: string;

  async function restartBots(options: Omit<BotsOptions, "db"> = {}): Promise<void> {
    await bots?.stop();
    log = captureLogger("info");
    bots = await startBots(config, log.logger, { db: handle.db, ...options });
  }

  const auditFor = (subject: string, action: string) =>
    handle.db.select().from(auditLog).where(and(eq(auditLog.subject, subject), eq(auditLog.action, action)));
  /** The room's state changes before the audit row is written, so a test waits for the row. */
  const auditedOnce = async (subject: string, action: string) => {
    const [entry] = await waitFor(`an audit entry ${action}`, async () => {
      const found = await auditFor(subject, action);
      return found.length > 0 ? found : undefined;
    });
    return entry!;
  };

  async function managedRoom(participants: Person[]): Promise<string> {
    const room = await createManagedRoom(
      { db: handle.db, service: createServiceClient(config), config, log: log.logger, discardRoom: async () => {} },
      organiserRow,
      createRoomInput.parse({ kind: "team", name: "Bauausschuss", participantIds: participants.map((p) => p.id), idempotencyKey: crypto.randomUUID() }),
    );
    return room.matrixRoomId!;
  }

  async function powerLevelsOf(id: string): Promise<Json> {
    return (await stateEvent(organiser, id, "m.room.power_levels"))!;
  }

  beforeAll(async () => {
    store = await startBotsTestDb("bots-rooms");
    handle = store.handle;
    await restartBots();
    [organiser, colleague] = await Promise.all([createTestUser(), createTestUser()]);
    [organiserRow, colleagueRow] = (await handle.db
      .insert(people)
      .values([
        { subject: crypto.randomUUID(), displayName: "Olga Organisatorin", matrixUserId: organiser.userId, username: organiser.localpart },
        { subject: crypto.randomUUID(), displayName: "Carl Kollege", matrixUserId: colleague.userId, username: colleague.localpart },
      ])
      .returning()) as [Person, Person];
    roomId = await managedRoom([colleagueRow]);
    await ok(organiser, "POST", `/join/${enc(roomId)}`, {});
    await ok(colleague, "POST", `/join/${enc(roomId)}`, {});
  });

  afterAll(async () => {
    await bots?.stop();
    await store?.stop();
  });

  describe("moderator commands", () => {
    it("!einladen by a moderator invites the person and answers with a notice", async () => {
      const newcomer = await createTestUser();
      const commandId = await say(organiser, roomId, `!einladen ${newcomer.userId}`);
      const reply = await replyTo(organiser, roomId, commandId);
      expect(reply).toMatchObject({ sender: bots!.botUserId, content: { msgtype: "m.notice", body: `${newcomer.userId} ist eingeladen.` } });
      expect(await membership(organiser, roomId, newcomer.userId)).toBe("invite");
    });

    it("!invite by a member without moderator rights is refused with the reason, and nobody is invited", async () => {
      const other = await createTestUser();
      const commandId = await say(colleague, roomId, `!invite ${other.userId}`);
      const reply = await replyTo(organiser, roomId, commandId);
      expect(reply.content).toMatchObject({ msgtype: "m.notice", body: "Only moderators of this room can use this command." });
      expect(await membership(organiser, roomId, other.userId)).toBeUndefined();
    });

    it.each([
      ["!einladen", /^Befehle für Moderatorinnen und Moderatoren:/],
      ["!help", /^Commands for moderators:/],
      ["!invite @mallory:evil.example", /only accounts on .* can be invited/],
    ])("answers %j without acting", async (command, answer) => {
      const commandId = await say(organiser, roomId, command);
      const reply = await replyTo(organiser, roomId, commandId);
      expect((reply.content as Json).body).toMatch(answer);
      expect(await membership(organiser, roomId, "@mallory:evil.example")).toBeUndefined();
    });
  });

  describe("guest links by command", () => {
    /** Links the bot sent into the organiser's private chat with it. */
    const linksIn = async (chat: string) =>
      (await timeline(organiser, chat))
        .map((e) => ((e.content as Json | undefined)?.body as string | undefined) ?? "")
        .flatMap((body) => body.match(/https?:\/\/\S+\/gast#[A-Za-z0-9_-]+/g) ?? []);

    it("!link sends a guest link into a private chat with the moderator; the room only learns that it was sent", async () => {
      const commandId = await say(organiser, roomId, "!link Frau Beispiel");
      const reply = await replyTo(organiser, roomId, commandId);
      expect(reply.content).toMatchObject({ msgtype: "m.notice", body: "Ich habe Ihnen den Gastlink in einem Direktchat geschickt." });

      const chat = await waitFor("the bot's invite to a direct chat", async () => {
        const sync = await ok(organiser, "GET", `/sync?timeout=0`);
        const invites = ((sync.rooms as Json | undefined)?.invite ?? {}) as Record<string, { invite_state: { events: Json[] } }>;
        return Object.entries(invites).find(([, r]) =>
          r.invite_state.events.some((e) => e.type === "m.room.member" && e.sender === bots!.botUserId && (e.content as Json).is_direct === true),
        )?.[0];
      });
      await ok(organiser, "POST", `/join/${enc(chat)}`, {});
      const [url] = await waitFor("the link in the direct chat", async () => {
        const found = await linksIn(chat);
        return found.length > 0 ? found : undefined;
      });
      const secret = url!.split("#")[1]!;
      const [row] = await handle.db.select().from(guestLinks).where(eq(guestLinks.tokenHash, hashLinkSecret(secret)));
      expect(row).toMatchObject({ createdBy: organiserRow.id, label: "Frau Beispiel", maxUses: 1 });
      expect(JSON.stringify(await timeline(organiser, roomId))).not.toContain(secret);
      expect(await auditFor(row!.id, "guest-link.created")).toHaveLength(1);

      // The next link goes to the same private chat.
      const again = await say(organiser, roomId, "!gastlink");
      await replyTo(organiser, roomId, again);
      await waitFor("a second link in the same chat", async () => ((await linksIn(chat)).length === 2 ? true : undefined));
    });
  });

  describe("transactions", () => {
    const txnId = `test-${crypto.randomUUID()}`;
    let target: TestUser;
    let command: Json;

    it("has the effects of a transaction delivered twice once: one invite, one notice", async () => {
      target = await createTestUser();
      command = fakeEvent({ type: "m.room.message", roomId, sender: organiser.userId, content: { msgtype: "m.text", body: `!einladen ${target.userId}` } });
      expect(await pushTransaction(txnId, [command])).toBe(200);
      // Acknowledged only after the work: the invite and the answer exist already.
      expect(await membership(organiser, roomId, target.userId)).toBe("invite");
      expect(repliesTo(await timeline(organiser, roomId), command.event_id as string)).toHaveLength(1);

      expect(await pushTransaction(txnId, [command])).toBe(200);
      // The same event in another transaction (never done by Synapse) is still answered once.
      expect(await pushTransaction(`${txnId}-other`, [command])).toBe(200);
      await new Promise((r) => setTimeout(r, 1_000));
      const events = await timeline(organiser, roomId);
      const invites = events.filter((e) => e.type === "m.room.member" && e.state_key === target.userId);
      expect(invites).toHaveLength(1);
      expect(repliesTo(events, command.event_id as string)).toHaveLength(1);
      const row = await handle.db.query.appserviceTransactions.findFirst({ where: eq(appserviceTransactions.txnId, txnId) });
      expect(row?.completedAt).toBeInstanceOf(Date);
    });

    it("does not replay after a restart: neither a completed transaction nor a command sent while down", async () => {
      await bots!.stop();
      const whileDown = await createTestUser();
      const downCommandId = await say(organiser, roomId, `!einladen ${whileDown.userId}`);
      await restartBots();

      const late = await createTestUser();
      const replayed = fakeEvent({ type: "m.room.message", roomId, sender: organiser.userId, content: { msgtype: "m.text", body: `!einladen ${late.userId}` } });
      expect(await pushTransaction(txnId, [replayed])).toBe(200);

      const freshId = await say(organiser, roomId, "!hilfe");
      await replyTo(organiser, roomId, freshId);
      const events = await timeline(organiser, roomId);
      expect(repliesTo(events, downCommandId)).toEqual([]);
      expect(repliesTo(events, replayed.event_id as string)).toEqual([]);
      expect(await membership(organiser, roomId, whileDown.userId)).toBeUndefined();
      expect(await membership(organiser, roomId, late.userId)).toBeUndefined();
      expect(log.lines).toContainEqual(expect.objectContaining({ txnId, msg: expect.stringContaining("already completed") }));
    });
  });

  describe("policy (Stadtfunk Regeln)", () => {
    it("restores power levels a member lowered on room version 12, keeps promotions, audits and tells the room", async () => {
      expect((await stateEvent(organiser, roomId, "m.room.create"))?.room_version).toBe("12");
      const before = await powerLevelsOf(roomId);
      const users = { ...(before.users as Json), [colleague.userId]: 50 };
      // A promotion is the organiser's right: nothing to restore.
      await ok(organiser, "PUT", `/rooms/${enc(roomId)}/state/m.room.power_levels/`, { ...before, users });
      // With power 50 the colleague may not touch power levels at all; the homeserver says so itself.
      const attempt = await api(colleague, "PUT", `/rooms/${enc(roomId)}/state/m.room.power_levels/`, { ...before, users, invite: 0 });
      expect(attempt.status).toBe(403);

      const lowered = (await ok(organiser, "PUT", `/rooms/${enc(roomId)}/state/m.room.power_levels/`, { ...before, users, invite: 0, state_default: 0 })).event_id;
      const restored = await waitFor("the power levels to be restored", async () => {
        const pl = await powerLevelsOf(roomId);
        return pl.invite === 50 && pl.state_default === 50 ? pl : undefined;
      });
      expect(restored.users).toEqual(users);
      const audit = await auditedOnce(roomId, "policy.power-levels-restored");
      expect(audit).toMatchObject({
        actor: "bot:policy",
        details: { changedBy: organiser.userId, offendingEventId: lowered, before: { invite: 0, state_default: 0 }, after: { invite: 50, state_default: 50 } },
      });
      const notice = await waitFor("the policy notice", async () =>
        (await timeline(organiser, roomId)).find((e) => e.sender === bots!.policyBotUserId && String((e.content as Json).body).startsWith("Stadtfunk Regeln")),
      );
      expect((notice.content as Json).msgtype).toBe("m.notice");
    });

    it("removes a widget a moderator added", async () => {
      const widget = { type: "customwidget", url: "https://umfrage.example/x", name: "Umfrage", data: {} };
      await ok(colleague, "PUT", `/rooms/${enc(roomId)}/state/im.vector.modular.widgets/umfrage`, widget);
      await waitFor("the widget to be removed", async () => {
        const content = await stateEvent(organiser, roomId, "im.vector.modular.widgets", "umfrage");
        return content && Object.keys(content).length === 0 ? true : undefined;
      });
      const audit = await auditedOnce(roomId, "policy.widget-removed");
      expect(audit.details).toMatchObject({ changedBy: colleague.userId, reason: "not-added-by-service", before: { type: "customwidget", name: "Umfrage" } });
    });

    it("restores power levels on room version 11, in a room the bot created itself", async () => {
      const bot = bots!.botUserId;
      const body = buildCreateRoomBody({
        kind: "team",
        name: "Raum v11",
        topic: "",
        startsAt: null,
        endsAt: null,
        organiserUserId: organiser.userId,
        inviteUserIds: [organiser.userId],
        serverName: server,
        jitsi: { domain: "meet.stadt.example", authMode: "none" },
        conferenceId: crypto.randomBytes(16).toString("hex"),
        widgetId: "jitsi_v11",
      });
      // Before version 12 the creator holds its power through `users`.
      const v11 = await createServiceClient(config).createRoom({
        ...body,
        room_version: "11",
        power_level_content_override: { ...powerLevels(organiser.userId), users: { [organiser.userId]: 100, [bot]: 100 } },
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
      await ok(organiser, "POST", `/join/${enc(v11)}`, {});
      expect((await stateEvent(organiser, v11, "m.room.create"))?.room_version).toBe("11");

      const before = await powerLevelsOf(v11);
      await ok(organiser, "PUT", `/rooms/${enc(v11)}/state/m.room.power_levels/`, { ...before, invite: 0, kick: 0 });
      const restored = await waitFor("the power levels to be restored", async () => {
        const pl = await powerLevelsOf(v11);
        return pl.invite === 50 && pl.kick === 50 ? pl : undefined;
      });
      // "Stadtfunk Regeln" was brought into this older room at its first use, with its power.
      expect(restored.users).toEqual({ [organiser.userId]: 100, [bot]: 100, [bots!.policyBotUserId]: 100 });
      expect((await auditedOnce(v11, "policy.power-levels-restored")).details).toMatchObject({ before: { invite: 0, kick: 0 } });
      expect(await auditFor(v11, "policy.power-levels-restored")).toHaveLength(1);
    });

    it("changes nothing in dry run, and the start-up sweep restores the room once enforcement is on", async () => {
      await restartBots({ isDryRun: true });
      const changed = (await ok(organiser, "PUT", `/rooms/${enc(roomId)}/state/m.room.join_rules/`, { join_rule: "public" })).event_id;
      await waitFor("the dry-run log line", async () =>
        log.lines.find((l) => l.msg === "policy: would enforce (dry run)" && l.trigger === changed),
      );
      await new Promise((r) => setTimeout(r, 500));
      expect(await stateEvent(organiser, roomId, "m.room.join_rules")).toEqual({ join_rule: "public" });
      expect(await auditFor(roomId, "policy.join-rule-restored")).toEqual([]);

      await restartBots();
      await bots!.sweep;
      expect(await stateEvent(organiser, roomId, "m.room.join_rules")).toEqual({ join_rule: "invite" });
      const [audit] = await auditFor(roomId, "policy.join-rule-restored");
      expect(audit?.details).toMatchObject({ trigger: "start-up", changedBy: organiser.userId, before: { join_rule: "public" } });
    });
  });

  describe("invites to the bot", () => {
    it("ignores an outsider's invite and an invite into an unmanaged room; joins a managed room on a local invite", async () => {
      const bot = bots!.botUserId;
      const { room_id: privateRoom } = (await ok(organiser, "POST", "/createRoom", { preset: "private_chat", name: "Privat" })) as { room_id: string };
      await ok(organiser, "POST", `/rooms/${enc(privateRoom)}/invite`, { user_id: bot });
      await waitFor("the unmanaged-room invite to be ignored", async () =>
        log.lines.find((l) => l.msg === "invite ignored" && l.roomId === privateRoom && l.reason === "unmanaged-room"),
      );

      // From now on the service manages the room (as after a hand-over); the bot is still only invited.
      await handle.db.insert(rooms).values({
        matrixRoomId: privateRoom,
        kind: "team",
        name: "Privat",
        organiserId: organiserRow.id,
        access: "invited",
        conferenceId: "x",
        widgetId: "x",
        idempotencyKey: crypto.randomUUID(),
        status: "active",
      });
      const invite = (sender: string) =>
        fakeEvent({ type: "m.room.member", roomId: privateRoom, sender, stateKey: bot, content: { membership: "invite" } });
      expect(await pushTransaction(`test-${crypto.randomUUID()}`, [invite("@mallory:evil.example")])).toBe(200);
      expect(log.lines).toContainEqual(expect.objectContaining({ msg: "invite ignored", reason: "outsider", inviter: "@mallory:evil.example" }));
      expect(await membership(organiser, privateRoom, bot)).toBe("invite");

      expect(await pushTransaction(`test-${crypto.randomUUID()}`, [invite(organiser.userId)])).toBe(200);
      expect(await membership(organiser, privateRoom, bot)).toBe("join");
    });
  });
});
