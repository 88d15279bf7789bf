import {
  EventType,
  KnownMembership,
  MsgType,
  Preset,
  RoomEvent,
  type MatrixClient,
  type MatrixEvent,
  type Room,
} from "matrix-js-sdk";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createStartedUser, createTestUser, uniqueLocalpart } from "./setup/matrix-users";

/** Resolves with the first value `listen` produces, or fails after `ms`. */
function waitFor<T>(what: string, ms: number, listen: (done: (v: T) => void) => () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let unlisten = () => {};
    const timer = setTimeout(() => {
      unlisten();
      reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
    }, ms);
    unlisten = listen((v) => {
      clearTimeout(timer);
      unlisten();
      resolve(v);
    });
  });
}

async function post(path: string, body: unknown, token?: string) {
  const res = await fetch(`${inject("homeserverUrl")}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const passwordLogin = (user: string, password: string) =>
  post("/_matrix/client/v3/login", { type: "m.login.password", identifier: { type: "m.id.user", user }, password });

describe("chat between two staff members on the real homeserver", () => {
  const clients: MatrixClient[] = [];
  afterAll(() => clients.forEach((c) => c.stopClient()));

  it("A creates a room, invites B, B joins and receives A's message through sync", async () => {
    const anna = await createStartedUser({ localpart: uniqueLocalpart("anna"), displayname: "Anna Amt" });
    const ben = await createStartedUser({ localpart: uniqueLocalpart("ben") });
    clients.push(anna.client, ben.client);

    const { room_id: roomId } = await anna.client.createRoom({ name: "Bauamt", preset: Preset.PrivateChat });

    const invited = waitFor<Room>("Ben's invite", 15_000, (done) => {
      const onMembership = (room: Room, membership: string) => {
        if (room.roomId === roomId && membership === KnownMembership.Invite) done(room);
      };
      ben.client.on(RoomEvent.MyMembership, onMembership);
      return () => ben.client.off(RoomEvent.MyMembership, onMembership);
    });
    await anna.client.invite(roomId, ben.userId);
    await invited;
    await ben.client.joinRoom(roomId);

    const body = `Guten Morgen ${uniqueLocalpart("msg")}`;
    const received = waitFor<MatrixEvent>("the message at Ben", 15_000, (done) => {
      const onTimeline = (
        event: MatrixEvent,
        room: Room | undefined,
        _toStart: boolean | undefined,
        _removed: boolean,
        data: { liveEvent?: boolean },
      ) => {
        if (room?.roomId !== roomId || !data.liveEvent) return;
        if (event.getType() === EventType.RoomMessage && event.getContent().body === body) done(event);
      };
      ben.client.on(RoomEvent.Timeline, onTimeline);
      return () => ben.client.off(RoomEvent.Timeline, onTimeline);
    });
    await anna.client.sendMessage(roomId, { msgtype: MsgType.Text, body });

    const event = await received;
    expect(event.getSender()).toBe(anna.userId);
    expect(event.getContent()).toMatchObject({ msgtype: "m.text", body });
    expect(ben.client.getRoom(roomId)?.getMyMembership()).toBe(KnownMembership.Join);
  });
});

describe("the bots' namespace belongs to the application service", () => {
  it("is exclusive: no one else may take such a user name", async () => {
    const admin = await createTestUser({ admin: true });
    const name = `${inject("userPrefix")}someone`;
    const res = await fetch(
      `${inject("homeserverUrl")}/_synapse/admin/v1/username_available?username=${encodeURIComponent(name)}`,
      { headers: { authorization: `Bearer ${admin.accessToken}` } },
    );
    expect(res.status).toBe(400);
    // Synapse refuses a leading underscore before it even checks the namespace; either is a refusal.
    expect(["M_EXCLUSIVE", "M_INVALID_USERNAME"]).toContain(((await res.json()) as { errcode: string }).errcode);
  });

  it("is open to the service itself, and only inside its prefix", async () => {
    const register = (username: string) =>
      post(
        "/_matrix/client/v3/register",
        { type: "m.login.application_service", username, inhibit_login: true },
        inject("asToken"),
      );
    const inside = await register(`${inject("userPrefix")}${uniqueLocalpart("guest")}`);
    expect(inside.status, JSON.stringify(inside.body)).toBe(200);
    const outside = await register(uniqueLocalpart("not-ours"));
    expect(outside.status).toBe(400);
    expect(outside.body.errcode).toBe("M_EXCLUSIVE");
  });

  it("keeps open self-registration closed", async () => {
    const res = await post("/_matrix/client/v3/register", { username: uniqueLocalpart("walk-in"), password: "x".repeat(20) });
    expect(res.status).toBe(403);
    expect(res.body.errcode).toBe("M_FORBIDDEN");
  });
});

describe("sign-in rate limits", () => {
  it("lets 30 people behind one address sign in back to back without a 429", async () => {
    const users = [];
    for (let i = 0; i < 30; i++) users.push(await createTestUser({ localpart: uniqueLocalpart(`staff${i}`) }));

    const statuses: number[] = [];
    for (const u of users) statuses.push((await passwordLogin(u.localpart, u.password)).status);

    expect(statuses.filter((s) => s === 429)).toHaveLength(0);
    expect(statuses.every((s) => s === 200)).toBe(true);
  });

  it("still throttles password guessing against one account", async () => {
    const victim = await createTestUser();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await passwordLogin(victim.localpart, `wrong-${i}`)).status);

    expect(statuses.slice(0, 3)).toEqual([403, 403, 403]);
    expect(statuses).toContain(429);
  });
});
