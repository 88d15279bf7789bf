import { Preset, type MatrixClient } from "matrix-js-sdk";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  checkOpenIdToken,
  verifyOpenIdUser,
  verifyUserInRoom,
  type OpenIdVerifierDeps,
  type RoomAccessDeps,
} from "../../lib/jitsi/openid-verifier";
import { conferenceIdForRoom, roomIdFromConferenceId } from "../../lib/jitsi/conference-id";
import { roomPowerState, type StateEventLike } from "../../lib/matrix/power-levels";
import { createStartedUser, uniqueLocalpart } from "./setup/matrix-users";

const homeserverUrl = inject("homeserverUrl");
const serverName = inject("serverName");

/** Counts the requests the verifier makes, passing them on to the real homeserver. */
function countingFetch() {
  const urls: string[] = [];
  const fetchFn = ((input: string | URL | Request, init?: RequestInit) => {
    urls.push(String(input instanceof Request ? input.url : input));
    return fetch(input, init);
  }) as typeof fetch;
  return { fetchFn, urls };
}

function verifierDeps(fetchFn: typeof fetch, partners: Record<string, string> = {}): OpenIdVerifierDeps {
  const urls: Record<string, string> = { [serverName]: homeserverUrl, ...partners };
  return { allowedServerNames: Object.keys(urls), homeserverUrlFor: (name) => urls[name], fetchFn };
}

/** Membership and power levels read through the client-server API with the room owner's token. */
function roomAccessVia(accessToken: string): RoomAccessDeps {
  const state = async (roomId: string, type: string, key: string) => {
    const path = `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/state/${encodeURIComponent(type)}/${encodeURIComponent(key)}`;
    const res = await fetch(`${homeserverUrl}${path}`, { headers: { authorization: `Bearer ${accessToken}` } });
    if (res.status === 404) return null;
    if (!res.ok) throw new Error(`GET ${type} state: HTTP ${res.status}`);
    return (await res.json()) as Record<string, unknown>;
  };
  return {
    getMembership: async (roomId, userId) => {
      const member = await state(roomId, "m.room.member", userId);
      return typeof member?.membership === "string" ? member.membership : null;
    },
    // The full state, so room version 12+ creators (absent from `users`) keep their power.
    getPowerLevels: async (roomId) => {
      const res = await fetch(`${homeserverUrl}/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/state`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      if (!res.ok) throw new Error(`GET state: HTTP ${res.status}`);
      return roomPowerState((await res.json()) as StateEventLike[]);
    },
  };
}

describe("UVS-compatible verifier against the real homeserver", () => {
  const clients: MatrixClient[] = [];
  let anna: Awaited<ReturnType<typeof createStartedUser>>;
  let ben: Awaited<ReturnType<typeof createStartedUser>>;
  let carl: Awaited<ReturnType<typeof createStartedUser>>;
  let roomId: string;

  beforeAll(async () => {
    [anna, ben, carl] = await Promise.all([
      createStartedUser({ localpart: uniqueLocalpart("anna") }),
      createStartedUser({ localpart: uniqueLocalpart("ben") }),
      createStartedUser({ localpart: uniqueLocalpart("carl") }),
    ]);
    clients.push(anna.client, ben.client, carl.client);
    ({ room_id: roomId } = await anna.client.createRoom({
      name: "Bauamt",
      preset: Preset.PrivateChat,
      invite: [ben.userId],
    }));
    await ben.client.joinRoom(roomId);
  });
  afterAll(() => clients.forEach((c) => c.stopClient()));

  it("accepts a user's real OpenID token and names the user", async () => {
    const openId = await ben.client.getOpenIdToken();
    expect(openId.matrix_server_name).toBe(serverName);
    const { fetchFn, urls } = countingFetch();

    const result = await verifyOpenIdUser({ token: openId }, verifierDeps(fetchFn));

    expect(result).toStrictEqual({ results: { user: true }, user_id: ben.userId });
    expect(urls).toHaveLength(1);
    expect(urls[0]).toMatch(new RegExp(`^${homeserverUrl}/_matrix/federation/v1/openid/userinfo\\?access_token=`));
  });

  it("refuses a made-up token", async () => {
    const token = { access_token: uniqueLocalpart("forged"), matrix_server_name: serverName };
    const check = await checkOpenIdToken(token, verifierDeps(fetch));
    expect(check).toStrictEqual({ ok: false, reason: "token_rejected" });
  });

  it("refuses a real token that claims a server not in the list, without any HTTP call", async () => {
    const openId = await ben.client.getOpenIdToken();
    const { fetchFn, urls } = countingFetch();
    const token = { ...openId, matrix_server_name: "evil.example" };

    expect(await verifyOpenIdUser({ token }, verifierDeps(fetchFn))).toStrictEqual({
      results: { user: false },
      user_id: null,
    });
    expect(urls).toHaveLength(0);
  });

  it("refuses our user's real token presented as a partner's (a server only vouches for its own users)", async () => {
    const openId = await ben.client.getOpenIdToken();
    // A partner entry that (by mistake or malice) answers from our homeserver.
    const deps = verifierDeps(fetch, { "stadtwerke.test": homeserverUrl });
    const check = await checkOpenIdToken({ ...openId, matrix_server_name: "stadtwerke.test" }, deps);
    expect(check).toStrictEqual({ ok: false, reason: "foreign_user" });
  });

  it("accepts a joined member with their power levels, as Prosody would ask for the Element conference", async () => {
    // Prosody decodes the Jitsi room name (lower-cased by Jitsi) back to the room ID it sends.
    const conferenceRoom = roomIdFromConferenceId(conferenceIdForRoom(roomId).toLowerCase());
    expect(conferenceRoom).toBe(roomId);
    const deps = { ...verifierDeps(fetch), ...roomAccessVia(anna.accessToken) };

    const member = await verifyUserInRoom({ token: await ben.client.getOpenIdToken(), roomId: conferenceRoom! }, deps);
    expect(member).toMatchObject({
      results: { user: true, room_membership: true },
      user_id: ben.userId,
      power_levels: { room: { state_default: 50 }, user: 0 },
    });
    expect(member.power_levels?.room).not.toHaveProperty("users");

    const owner = await verifyUserInRoom({ token: await anna.client.getOpenIdToken(), roomId }, deps);
    // The creator outranks state_default whether the room version lists them in `users` (<12) or not (12+).
    expect(owner).toMatchObject({ results: { user: true, room_membership: true } });
    expect(owner.power_levels!.user).toBeGreaterThanOrEqual(owner.power_levels!.room.state_default);
  });

  it("refuses a valid user who is not a member of the room", async () => {
    const deps = { ...verifierDeps(fetch), ...roomAccessVia(anna.accessToken) };
    const result = await verifyUserInRoom({ token: await carl.client.getOpenIdToken(), roomId }, deps);
    expect(result).toStrictEqual({
      results: { user: true, room_membership: false },
      user_id: carl.userId,
      power_levels: null,
    });
  });
});
