import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { MailDev } from "maildev";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startBots, type RunningBots } from "../../bots/main";
import { processInvitationJob } from "../../bots/invitations/process-job";
import { roomActions } from "../../bots/invitations/room-actions";
import { captureLogger } from "../../bots/shared/capture-logger";
import { createBotClient } from "../../bots/shared/homeserver";
import { createOutbox } from "../../bots/shared/outbox";
import { pendingInvitations, people, rooms, type Person } from "../../drizzle/schema";
import { invitationDeclines, invitationJobs, invitationMails } from "../../drizzle/tables/invitations";
import type { AppConfig } from "../../lib/config/load";
import { openDb, runMigrations, type DbHandle } from "../../lib/db/client";
import { startEmbeddedDb, type EmbeddedDb } from "../../lib/db/embedded-server";
import { AppError } from "../../lib/errors";
import { requestMeetingChange, type Actor } from "../../lib/invitations/meeting-changes";
import { createServiceClient } from "../../lib/matrix/service-client";
import { createManagedRoom } from "../../lib/rooms/create-room";
import { createRoomInput } from "../../lib/rooms/create-room-input";
import { MEETING_EVENT_TYPE } from "../../lib/rooms/room-state";
import { freePort } from "../../scripts/stack/ports";
import { botsConfig, enc, hs, ok, stateEvent, timeline, waitFor, type Json } from "./setup/bots-harness";
import { createTestUser, type TestUser } from "./setup/matrix-users";

/**
 * The invitation lifecycle against a real Synapse: the organiser's later
 * changes go through the invitations bot (invite, kick, meeting state, one
 * room notice per change), declines reach the organiser, and invitation
 * mails with their .ics arrive at an in-process mail catcher (maildev).
 */

const noticesOf = (events: Json[], bodyPart: string) =>
  events.filter((e) => e.type === "m.room.message" && String((e.content as Json).body ?? "").includes(bodyPart));

/** The .ics part of a raw mail (sent base64-encoded as text/calendar), unfolded. */
function icsOf(rawMail: string): string {
  const part = /Content-Type: text\/calendar;[^]*?\r?\n\r?\n([A-Za-z0-9+/=\r\n]+?)\r?\n--/i.exec(rawMail);
  if (!part) throw new Error("no text/calendar part in the mail");
  return Buffer.from(part[1]!.replace(/\s+/g, ""), "base64").toString("utf8").replace(/\r\n /g, "");
}

/** A property of the calendar (METHOD) or of its one event (the zone definition has its own DTSTART). */
const icsField = (ics: string, name: string) => {
  const scope = name === "METHOD" ? ics : ics.slice(ics.indexOf("BEGIN:VEVENT"));
  return new RegExp(`^${name}(;[^:]*)?:(.*)$`, "m").exec(scope)?.[0]?.replace(/\r$/, "");
};

describe("invitation lifecycle (real Synapse, mail through maildev)", () => {
  let config: AppConfig;
  let maildev: MailDev;
  let mailDir: string;
  let dir: string;
  let embedded: EmbeddedDb;
  let handle: DbHandle;
  let bots: RunningBots;
  let organiser: TestUser;
  let colleague: TestUser;
  let organiserRow: Person;
  let colleagueRow: Person;
  let roomId: string;
  let roomRowId: string;
  let actor: Actor;

  /** Mails the catcher holds for one address, oldest first, with their raw text. */
  async function mailsTo(address: string): Promise<{ subject: string; text: string; raw: string }[]> {
    const storage = maildev.getServers()!.storage;
    const all = await storage.getAll();
    return all
      .filter((m) => m.to.some((t) => t.address === address))
      .sort((a, b) => new Date(a.time).getTime() - new Date(b.time).getTime())
      .map((m) => ({ subject: m.subject, text: m.text ?? "", raw: fs.readFileSync(m.source, "utf8") }));
  }

  async function personFor(user: TestUser, name: string): Promise<Person> {
    const [row] = await handle.db
      .insert(people)
      .values({ subject: crypto.randomUUID(), displayName: name, matrixUserId: user.userId, username: user.localpart, email: `${user.localpart}@stadt.example` })
      .returning();
    return row!;
  }

  const change = (input: Parameters<typeof requestMeetingChange>[3]) =>
    requestMeetingChange({ db: handle.db, service: createServiceClient(config) }, actor, roomId, input);

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "stadtfunk-invitations-"));
    mailDir = path.join(dir, "mail");
    const smtpPort = await freePort();
    maildev = new MailDev({ smtp: smtpPort, ip: "127.0.0.1", disableWeb: true, mailDirectory: mailDir, silent: true });
    await maildev.start();
    config = botsConfig({ PORTAL_URL: "https://portal.stadt.example", SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, MAIL_FROM: "Stadtfunk <stadtfunk@stadt.example>" });
    embedded = await startEmbeddedDb({ dir: path.join(dir, "db"), port: await freePort() });
    handle = openDb(embedded.url);
    await runMigrations(handle);
    bots = await startBots(config, captureLogger("info").logger, { db: handle.db, sweepOnStart: false });
    [organiser, colleague] = await Promise.all([createTestUser(), createTestUser()]);
    organiserRow = await personFor(organiser, "Olga Organisatorin");
    colleagueRow = await personFor(colleague, "Carl Kollege");
    actor = { person: organiserRow, matrixUserId: organiser.userId };
    const room = await createManagedRoom(
      { db: handle.db, service: createServiceClient(config), config, log: captureLogger("warn").logger, discardRoom: async () => {} },
      organiserRow,
      createRoomInput.parse({
        kind: "meeting",
        name: "Bauausschuss",
        startsAt: "2026-12-01T10:00",
        endsAt: "2026-12-01T11:00",
        participantIds: [colleagueRow.id],
        idempotencyKey: crypto.randomUUID(),
      }),
    );
    roomId = room.matrixRoomId!;
    roomRowId = room.id;
    await ok(organiser, "POST", `/join/${enc(roomId)}`, {});
    await ok(colleague, "POST", `/join/${enc(roomId)}`, {});
  });

  afterAll(async () => {
    await bots?.stop();
    await handle?.close();
    await embedded?.stop();
    await maildev?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  let newcomer: TestUser;
  let newcomerRow: Person;

  it("mails the people invited at creation a REQUEST with SEQUENCE 0", async () => {
    await bots.invitations.runNow();
    const [mail] = await waitFor("the first invitation mail", async () => {
      const m = await mailsTo(colleagueRow.email!);
      return m.length > 0 ? m : undefined;
    });
    expect(mail!.subject).toBe("Einladung: Bauausschuss (01.12.2026, 10:00)");
    expect(mail!.text).toContain("Olga Organisatorin lädt Sie zur Besprechung „Bauausschuss“ ein.");
    const ics = icsOf(mail!.raw);
    expect(icsField(ics, "METHOD")).toBe("METHOD:REQUEST");
    expect(icsField(ics, "SEQUENCE")).toBe("SEQUENCE:0");
    expect(await mailsTo(organiserRow.email!)).toHaveLength(0);
  });

  it("adds a participant later: the invite reaches their client, and a REQUEST mail with the next SEQUENCE", async () => {
    newcomer = await createTestUser();
    newcomerRow = await personFor(newcomer, "Nora Neu");
    const job = await change({ kind: "add", participantIds: [newcomerRow.id] });
    expect(job.sequence).toBe(1);
    await bots.invitations.runNow();

    // The newcomer's dashboard lists the room, and their own client sees the invitation.
    const [listed] = await handle.db.select().from(rooms).where(eq(rooms.id, roomRowId));
    expect(listed!.invitedUserIds).toEqual([organiser.userId, colleague.userId, newcomer.userId]);
    const sync = await ok(newcomer, "GET", "/sync?timeout=0");
    expect(Object.keys(((sync.rooms as Json).invite ?? {}) as Json)).toContain(roomId);
    expect(noticesOf(await timeline(organiser, roomId), "Nora Neu wurde eingeladen.")).toHaveLength(1);

    const [mail] = await waitFor("the invitation mail", async () => {
      const m = await mailsTo(newcomerRow.email!);
      return m.length > 0 ? m : undefined;
    });
    expect(mail!.subject).toBe("Einladung: Bauausschuss (01.12.2026, 10:00)");
    expect(mail!.text).toContain(`https://portal.stadt.example/rooms/${enc(roomId)}`);
    const ics = icsOf(mail!.raw);
    expect(icsField(ics, "METHOD")).toBe("METHOD:REQUEST");
    expect(icsField(ics, "UID")).toBe(`UID:${roomRowId}@${config.matrix.serverName}`);
    expect(icsField(ics, "SEQUENCE")).toBe("SEQUENCE:1");
    expect(icsField(ics, "DTSTART")).toBe("DTSTART;TZID=Europe/Berlin:20261201T100000");
  });

  it("invites someone who never signed in at their first sign-in, as at creation", async () => {
    await change({ kind: "add", inviteLogins: ["Neue.Kollegin@stadt.example"] });
    const waiting = await handle.db.select().from(pendingInvitations).where(eq(pendingInvitations.roomId, roomRowId));
    expect(waiting.map((w) => w.invitee)).toEqual(["neue.kollegin@stadt.example"]);
  });

  it("removes a participant: they are kicked by the bot and get a CANCEL", async () => {
    const job = await change({ kind: "remove", userIds: [newcomer.userId] });
    await bots.invitations.runNow();
    const member = await stateEvent(organiser, roomId, "m.room.member", newcomer.userId);
    expect(member?.membership).toBe("leave");
    const [listed] = await handle.db.select().from(rooms).where(eq(rooms.id, roomRowId));
    expect(listed!.invitedUserIds).toEqual([organiser.userId, colleague.userId]);
    const mails = await waitFor("the removal mail", async () => {
      const m = await mailsTo(newcomerRow.email!);
      return m.length > 1 ? m : undefined;
    });
    const ics = icsOf(mails[1]!.raw);
    expect(icsField(ics, "METHOD")).toBe("METHOD:CANCEL");
    expect(icsField(ics, "SEQUENCE")).toBe(`SEQUENCE:${job.sequence}`);
  });

  it("acts as Stadtfunk Einladungen, invited with power 100 in the room's creation call", async () => {
    const invitationsBot = bots.invitationsBotUserId;
    expect(invitationsBot).toBe(`@${config.appservice.userPrefix}einladungen:${config.matrix.serverName}`);
    expect(((await stateEvent(organiser, roomId, "m.room.power_levels"))!.users as Json)[invitationsBot]).toBe(100);
    expect((await stateEvent(organiser, roomId, "m.room.member", invitationsBot))?.membership).toBe("join");
    expect((await ok(organiser, "GET", `/profile/${enc(invitationsBot)}`)).displayname).toBe("Stadtfunk Einladungen");
  });

  it("reschedules: the meeting state follows, the room is told once, even when the job runs twice", async () => {
    const job = await change({ kind: "details", name: "Bauausschuss", topic: "Neu: Punkt 4", startsAt: "2026-12-03T14:00", endsAt: "2026-12-03T15:30" });
    await bots.invitations.runNow();
    const meeting = await stateEvent(colleague, roomId, MEETING_EVENT_TYPE);
    expect(meeting).toMatchObject({ starts_at: "2026-12-03T13:00:00.000Z", ends_at: "2026-12-03T14:30:00.000Z", organiser: organiser.userId });
    expect((await stateEvent(colleague, roomId, "m.room.topic"))?.topic).toBe("Neu: Punkt 4");

    // The same job again, as after a crash before it was marked done.
    const [stored] = await handle.db.select().from(invitationJobs).where(eq(invitationJobs.id, job.id));
    expect(stored!.doneAt).toBeInstanceOf(Date);
    // Run again as the invitations bot, as the bots process does: its outbox keys are its own.
    const client = createBotClient({ homeserverUrl: hs, asToken: config.appservice.asToken }, bots.invitationsBotUserId);
    await processInvitationJob(
      {
        db: handle.db,
        client,
        actions: roomActions({ homeserverUrl: hs, asToken: config.appservice.asToken }, bots.invitationsBotUserId),
        outbox: createOutbox(handle.db),
        mailEnabled: true,
        site: { portalUrl: config.portal.url, serverName: config.matrix.serverName, cityName: config.cityName },
        isServiceUser: (u) => u === bots.botUserId || u === bots.invitationsBotUserId,
        logger: captureLogger("warn").logger,
      },
      stored!,
    );
    const moved = noticesOf(await timeline(colleague, roomId), "Besprechung verschoben auf 03.12.2026, 14:00 – 15:30 Uhr.");
    expect(moved).toHaveLength(1);
    expect(moved[0]!.sender).toBe(bots.invitationsBotUserId);

    // One updated REQUEST for the colleague, however often the job ran.
    const rows = await handle.db
      .select()
      .from(invitationMails)
      .where(and(eq(invitationMails.personId, colleagueRow.id), eq(invitationMails.sequence, job.sequence)));
    expect(rows).toHaveLength(1);
    const mail = (
      await waitFor("the update mail", async () => {
        const m = await mailsTo(colleagueRow.email!);
        return m.length > 1 ? m : undefined;
      })
    )[1];
    expect(mail!.subject).toMatch(/^Geändert: Bauausschuss/);
    const ics = icsOf(mail!.raw);
    expect(icsField(ics, "SEQUENCE")).toBe(`SEQUENCE:${job.sequence}`);
    expect(icsField(ics, "DTSTART")).toBe("DTSTART;TZID=Europe/Berlin:20261203T140000");
  });

  it("reports a declined invitation to the organiser, with a mention, once", async () => {
    const guest = await createTestUser();
    const guestRow = await personFor(guest, "Dora Absage");
    await change({ kind: "add", participantIds: [guestRow.id] });
    await bots.invitations.runNow();
    await ok(guest, "POST", `/rooms/${enc(roomId)}/leave`, {});
    const notice = await waitFor("the decline notice", async () => noticesOf(await timeline(organiser, roomId), "hat die Einladung abgelehnt")[0]);
    expect(notice.sender).toBe(bots.invitationsBotUserId);
    expect(notice.content).toMatchObject({
      msgtype: "m.notice",
      body: `Olga Organisatorin: Dora Absage (${guest.userId}) hat die Einladung abgelehnt.`,
      "m.mentions": { user_ids: [organiser.userId] },
    });
    const declines = await handle.db.select().from(invitationDeclines).where(eq(invitationDeclines.userId, guest.userId));
    expect(declines).toHaveLength(1);
    expect(declines[0]!.notifiedAt).toBeInstanceOf(Date);
  });

  it("mails an invitation made with !einladen in the room too", async () => {
    const invitee = await createTestUser();
    const inviteeRow = await personFor(invitee, "Ella Element");
    await ok(organiser, "PUT", `/rooms/${enc(roomId)}/send/m.room.message/${crypto.randomUUID()}`, { msgtype: "m.text", body: `!einladen ${invitee.userId}` });
    const [mail] = await waitFor("the mail for the command's invitation", async () => {
      const m = await mailsTo(inviteeRow.email!);
      return m.length > 0 ? m : undefined;
    });
    expect(mail!.subject).toMatch(/^Einladung: Bauausschuss/);
    expect(icsField(icsOf(mail!.raw), "METHOD")).toBe("METHOD:REQUEST");
  });

  it("reports a decline delivered twice (two transactions) once", async () => {
    const leave = {
      type: "m.room.member",
      event_id: `$test-${crypto.randomBytes(8).toString("hex")}`,
      room_id: roomId,
      sender: "@someone:elsewhere.example",
      state_key: "@someone:elsewhere.example",
      origin_server_ts: Date.now(),
      content: { membership: "leave" },
      unsigned: { prev_content: { membership: "invite" } },
    };
    const push = async (txnId: string) =>
      (
        await fetch(`${inject("appserviceUrl")}/_matrix/app/v1/transactions/${enc(txnId)}`, {
          method: "PUT",
          headers: { Authorization: `Bearer ${inject("hsToken")}`, "Content-Type": "application/json" },
          body: JSON.stringify({ events: [leave] }),
        })
      ).status;
    expect(await push(`test-${crypto.randomUUID()}`)).toBe(200);
    expect(await push(`test-${crypto.randomUUID()}`)).toBe(200);
    // Acknowledged only after the work: the notice exists already, and only once.
    expect(noticesOf(await timeline(organiser, roomId), "@someone:elsewhere.example) hat die Einladung abgelehnt")).toHaveLength(1);
    expect(await handle.db.select().from(invitationDeclines).where(eq(invitationDeclines.eventId, leave.event_id))).toHaveLength(1);
  });

  it.each([
    ["removing the organiser", { kind: "remove", userIds: ["@ORGANISER"] }, 400, "kann nicht ausgeladen werden"],
    ["inviting someone already in the room", { kind: "add", participantIds: ["COLLEAGUE"] }, 400, "bereits eingeladen"],
    ["an end before the start", { kind: "details", name: "X", topic: "", startsAt: "2026-12-03T15:00", endsAt: "2026-12-03T14:00" }, 400, "Ende muss nach dem Beginn"],
  ])("refuses %s with a clear message and changes nothing", async (_what, raw, status, message) => {
    const input = JSON.parse(JSON.stringify(raw).replace("@ORGANISER", organiser.userId).replace("COLLEAGUE", colleagueRow.id)) as Parameters<typeof change>[0];
    const before = await handle.db.select().from(invitationJobs);
    const err = await change(input).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(status);
    expect(JSON.stringify([(err as AppError).userMessage, (err as AppError).fieldErrors])).toContain(message);
    expect(await handle.db.select().from(invitationJobs)).toHaveLength(before.length);
  });

  it("refuses changes from a participant who is no room admin", async () => {
    const err = await requestMeetingChange(
      { db: handle.db, service: createServiceClient(config) },
      { person: colleagueRow, matrixUserId: colleague.userId },
      roomId,
      { kind: "cancel" },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(403);
  });

  it("cancels: the meeting state says so, the room is told, participants get a CANCEL, and no later change is taken", async () => {
    const job = await change({ kind: "cancel" });
    await bots.invitations.runNow();
    expect(await stateEvent(colleague, roomId, MEETING_EVENT_TYPE)).toMatchObject({ cancelled: true });
    expect(noticesOf(await timeline(colleague, roomId), "wurde abgesagt")).toHaveLength(1);
    const mails = await waitFor("the cancellation mail", async () => {
      const m = await mailsTo(colleagueRow.email!);
      return m.length > 2 ? m : undefined;
    });
    expect(mails).toHaveLength(3);
    const ics = icsOf(mails[2]!.raw);
    expect(icsField(ics, "METHOD")).toBe("METHOD:CANCEL");
    expect(icsField(ics, "UID")).toBe(`UID:${roomRowId}@${config.matrix.serverName}`);
    expect(icsField(ics, "SEQUENCE")).toBe(`SEQUENCE:${job.sequence}`);
    expect(mails[2]!.subject).toMatch(/^Abgesagt: Bauausschuss/);

    const again = await change({ kind: "details", name: "Neu", topic: "", startsAt: "2026-12-04T10:00", endsAt: "2026-12-04T11:00" }).catch((e: unknown) => e);
    expect((again as AppError).status).toBe(409);
  });
});
