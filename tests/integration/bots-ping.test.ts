import crypto from "node:crypto";
import { RoomEvent, type MatrixClient, type MatrixEvent } from "matrix-js-sdk";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startBots, type RunningBots } from "../../bots/main";
import { captureLogger } from "../../bots/shared/capture-logger";
import { people } from "../../drizzle/schema";
import type { AppConfig } from "../../lib/config/load";
import type { DbHandle } from "../../lib/db/client";
import { createLogger } from "../../lib/log";
import { createServiceClient } from "../../lib/matrix/service-client";
import { createManagedRoom } from "../../lib/rooms/create-room";
import { createRoomInput } from "../../lib/rooms/create-room-input";
import { botsConfig, waitFor, startBotsTestDb, type BotsTestDb } from "./setup/bots-harness";
import { createStartedUser } from "./setup/matrix-users";

function pingBotsConfig(): AppConfig {
  return botsConfig({ MATRIX_REGISTRATION_SHARED_SECRET: inject("registrationSharedSecret"), JITSI_DOMAIN: undefined });
}

/** Every timeline event the client sees, so a test can wait for one or assert that none came. */
function recordTimeline(client: MatrixClient): MatrixEvent[] {
  const seen: MatrixEvent[] = [];
  client.on(RoomEvent.Timeline, (event) => {
    seen.push(event);
  });
  return seen;
}

function isReplyTo(event: MatrixEvent, eventId: string): boolean {
  const relation = event.getContent()["m.relates_to"] as { "m.in_reply_to"?: { event_id?: string } } | undefined;
  return relation?.["m.in_reply_to"]?.event_id === eventId;
}

describe("bots: !ping against a real Synapse", () => {
  const config = pingBotsConfig();
  const logger = createLogger("bots", config.logLevel);
  let store: BotsTestDb | undefined;
  let handle: DbHandle;
  let bots: RunningBots | undefined;
  let staff: Awaited<ReturnType<typeof createStartedUser>>;
  let timeline: MatrixEvent[];
  let roomId: string;

  beforeAll(async () => {
    store = await startBotsTestDb("bots-ping");
    handle = store.handle;
    bots = await startBots(config, logger, { db: handle.db });
    staff = await createStartedUser({ displayname: "Anna Amt" });
    timeline = recordTimeline(staff.client);
  });

  afterAll(async () => {
    staff?.client.stopClient();
    await bots?.stop();
    await store?.stop();
  });

  it("answers GET /health on the appservice port", async () => {
    const res = await fetch(`http://127.0.0.1:${config.appservice.port}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("is in the managed rooms the service creates and carries its display name", async () => {
    const botUserId = bots!.botUserId;
    expect(botUserId).toBe(`@${config.appservice.userPrefix}bot:${config.matrix.serverName}`);
    const [organiser] = await handle.db
      .insert(people)
      .values({ subject: crypto.randomUUID(), displayName: "Anna Amt", matrixUserId: staff.userId, username: staff.localpart })
      .returning();
    const room = await createManagedRoom(
      { db: handle.db, service: createServiceClient(config), config, log: logger, discardRoom: async () => {} },
      organiser!,
      createRoomInput.parse({ kind: "team", name: "Ping-Test", idempotencyKey: crypto.randomUUID() }),
    );
    roomId = room.matrixRoomId!;
    await staff.client.joinRoom(roomId);
    const { joined } = await staff.client.getJoinedRoomMembers(roomId);
    expect(Object.keys(joined)).toContain(botUserId);
    const profile = await staff.client.getProfileInfo(botUserId);
    expect(profile.displayname).toBe("Stadtfunk");
  });

  it("replies to !ping with a notice that points at the command", { timeout: 90_000 }, async () => {
    const { event_id: pingId } = await staff.client.sendTextMessage(roomId, "!ping");
    // The shared test homeserver queued transactions for the service while earlier test files ran
    // with no bots listening; the first reply waits until that backlog has been delivered.
    const reply = await waitFor("the pong reply", () => timeline.find((e) => isReplyTo(e, pingId)), 75_000, 100);
    expect(reply.getSender()).toBe(bots!.botUserId);
    expect(reply.getType()).toBe("m.room.message");
    expect(reply.getContent().msgtype).toBe("m.notice");
    expect(reply.getContent().body).toMatch(/^Pong/);
  });

  it("does not answer a !ping sent while it was down, after the homeserver re-delivers it", async () => {
    await bots!.stop();
    // Synapse cannot deliver this one now; it keeps the transaction and retries after the restart.
    const { event_id: oldPingId } = await staff.client.sendTextMessage(roomId, "!ping");
    await new Promise((r) => setTimeout(r, 300));

    const restarted = captureLogger("debug");
    bots = await startBots(config, restarted.logger, { db: handle.db });
    const { event_id: newPingId } = await staff.client.sendTextMessage(roomId, "!ping vertraulich-7f3a");

    await waitFor("the pong to the new !ping", () => timeline.find((e) => isReplyTo(e, newPingId)), 40_000, 100);
    // Transactions arrive in order, so the old event was delivered and judged before the new one.
    expect(restarted.lines).toContainEqual(
      expect.objectContaining({ msg: "event ignored", reason: "before-start", eventId: oldPingId }),
    );
    await new Promise((r) => setTimeout(r, 1_000));
    expect(timeline.filter((e) => isReplyTo(e, oldPingId))).toEqual([]);

    // Even at debug level the log holds neither service tokens nor message text.
    const logText = JSON.stringify(restarted.lines);
    expect(logText).not.toContain(config.appservice.asToken);
    expect(logText).not.toContain(config.appservice.hsToken);
    expect(logText).not.toContain("vertraulich-7f3a");
  });
});
