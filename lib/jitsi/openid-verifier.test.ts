import { describe, expect, it } from "vitest";
import {
  checkOpenIdToken,
  handleVerifyUser,
  handleVerifyUserInRoom,
  hasVerifierBearer,
  verifyOpenIdUser,
  verifyUserInRoom,
  verifyUserInRoomResponseSchema,
  verifyUserResponseSchema,
  type OpenIdVerifierDeps,
  type RejectReason,
  type RoomAccessDeps,
} from "./openid-verifier";

const OWN = "stadtfunk.test";
const PARTNER = "stadtwerke.test";
const ROOM = "!room:stadtfunk.test";

/** A fetch that answers from a script and records every request. */
function stubFetch(answer: (url: URL) => Response | Promise<Response>) {
  const calls: { url: URL; init: RequestInit | undefined }[] = [];
  const fetchFn = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : input);
    calls.push({ url, init });
    return answer(url);
  }) as typeof fetch;
  return { fetchFn, calls };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

function deps(fetchFn: typeof fetch, rejected: RejectReason[] = []): OpenIdVerifierDeps {
  return {
    allowedServerNames: [OWN, PARTNER],
    homeserverUrlFor: (name) =>
      ({ [OWN]: "http://127.0.0.1:8008/", [PARTNER]: "https://matrix.stadtwerke.test" })[name],
    fetchFn,
    onReject: (reason) => rejected.push(reason),
  };
}

const room = (membership: string | null, content: Record<string, unknown> | null = null): RoomAccessDeps => ({
  getMembership: async (roomId) => (roomId === ROOM ? membership : null),
  getPowerLevels: async () => (content ? { content } : null),
});

const token = (access_token: string, matrix_server_name = OWN) => ({ access_token, matrix_server_name });

describe("checkOpenIdToken / verifyOpenIdUser", () => {
  it("asks the configured homeserver's federation userinfo endpoint with the token URI-encoded", async () => {
    const { fetchFn, calls } = stubFetch(() => json({ sub: "@anna:stadtfunk.test" }));
    const result = await verifyOpenIdUser({ token: token("a+b/c=&d") }, deps(fetchFn));

    expect(result).toStrictEqual({ results: { user: true }, user_id: "@anna:stadtfunk.test" });
    expect(verifyUserResponseSchema.parse(result)).toStrictEqual(result);
    expect(calls).toHaveLength(1);
    const call = calls[0]!;
    expect(call.init?.method).toBe("GET");
    expect(call.init?.redirect).toBe("manual");
    expect(call.url.origin).toBe("http://127.0.0.1:8008");
    expect(call.url.pathname).toBe("/_matrix/federation/v1/openid/userinfo");
    expect(call.url.search).toBe("?access_token=a%2Bb%2Fc%3D%26d");
    expect(call.url.searchParams.get("access_token")).toBe("a+b/c=&d");
  });

  it("asks an approved partner at its configured URL, never one derived from the request", async () => {
    const { fetchFn, calls } = stubFetch(() => json({ sub: "@bob:stadtwerke.test" }));
    const result = await checkOpenIdToken(token("t", PARTNER), deps(fetchFn));
    expect(result).toStrictEqual({ ok: true, userId: "@bob:stadtwerke.test" });
    expect(calls[0]!.url.href).toBe("https://matrix.stadtwerke.test/_matrix/federation/v1/openid/userinfo?access_token=t");
  });

  it.each<[string, string, (url: URL) => Response | Promise<Response>, RejectReason, number]>([
    ["an unknown server", "evil.example", () => json({ sub: "@x:evil.example" }), "server_not_allowed", 0],
    ["an allowed-looking suffix", `x.${OWN}`, () => json({ sub: `@x:x.${OWN}` }), "server_not_allowed", 0],
    ["a forged token", OWN, () => json({ errcode: "M_UNKNOWN_TOKEN" }, 401), "token_rejected", 1],
    ["a user of another server", OWN, () => json({ sub: "@mallory:evil.example" }), "foreign_user", 1],
    ["a sub with a smuggled server", OWN, () => json({ sub: `@m:evil.example:${OWN}` }), "foreign_user", 1],
    ["a sub that is no user ID", OWN, () => json({ sub: OWN }), "foreign_user", 1],
    ["a userinfo without sub", OWN, () => json({}), "bad_userinfo", 1],
    ["a non-JSON userinfo", OWN, () => new Response("<html>", { status: 200 }), "bad_userinfo", 1],
    ["a redirect", OWN, () => new Response(null, { status: 302, headers: { location: "http://x/" } }), "homeserver_error", 1],
    ["a server error", OWN, () => json({}, 502), "homeserver_error", 1],
    [
      "an unreachable homeserver",
      OWN,
      () => Promise.reject(new TypeError("fetch failed")),
      "homeserver_unreachable",
      1,
    ],
  ])("refuses %s", async (_what, serverName, answer, reason, httpCalls) => {
    const { fetchFn, calls } = stubFetch(answer);
    const rejected: RejectReason[] = [];
    expect(await checkOpenIdToken(token("t", serverName), deps(fetchFn, rejected))).toStrictEqual({
      ok: false,
      reason,
    });
    expect(rejected).toStrictEqual([reason]);
    expect(calls).toHaveLength(httpCalls);
    expect(await verifyOpenIdUser({ token: token("t", serverName) }, deps(fetchFn))).toStrictEqual({
      results: { user: false },
      user_id: null,
    });
  });

  it("refuses an allowed server that has no configured URL, without asking anyone", async () => {
    const { fetchFn, calls } = stubFetch(() => json({ sub: "@x:later.test" }));
    const d = { ...deps(fetchFn), allowedServerNames: [OWN, "later.test"] };
    expect(await checkOpenIdToken(token("t", "later.test"), d)).toStrictEqual({ ok: false, reason: "no_homeserver_url" });
    expect(calls).toHaveLength(0);
  });
});

describe("verifyUserInRoom", () => {
  const anna = () => stubFetch(() => json({ sub: "@anna:stadtfunk.test" })).fetchFn;
  const levels = { users: { "@anna:stadtfunk.test": 100 }, users_default: 0, state_default: 50, kick: 50 };

  it("accepts a joined member and reports the power levels in UVS's shape", async () => {
    const result = await verifyUserInRoom({ token: token("t"), roomId: ROOM }, { ...deps(anna()), ...room("join", levels) });
    expect(result).toStrictEqual({
      results: { user: true, room_membership: true },
      user_id: "@anna:stadtfunk.test",
      power_levels: { room: { users_default: 0, state_default: 50, kick: 50 }, user: 100 },
    });
    expect(verifyUserInRoomResponseSchema.parse(result)).toStrictEqual(result);
  });

  it.each(["invite", "leave", "ban", "knock", null])("refuses membership %j", async (membership) => {
    const rejected: RejectReason[] = [];
    const result = await verifyUserInRoom(
      { token: token("t"), roomId: ROOM },
      { ...deps(anna(), rejected), ...room(membership, levels) },
    );
    expect(result).toStrictEqual({
      results: { user: true, room_membership: false },
      user_id: "@anna:stadtfunk.test",
      power_levels: null,
    });
    expect(rejected).toStrictEqual(["not_joined"]);
  });

  it("refuses an invalid token with room_membership null, without looking at the room", async () => {
    const { fetchFn } = stubFetch(() => json({ errcode: "M_UNKNOWN_TOKEN" }, 401));
    let asked = false;
    const result = await verifyUserInRoom(
      { token: token("forged"), roomId: ROOM },
      {
        ...deps(fetchFn),
        getMembership: async () => ((asked = true), "join"),
        getPowerLevels: async () => null,
      },
    );
    expect(result).toStrictEqual({ results: { user: false, room_membership: null }, user_id: null, power_levels: null });
    expect(asked).toBe(false);
  });

  it("fails closed when the membership cannot be read", async () => {
    const rejected: RejectReason[] = [];
    const result = await verifyUserInRoom(
      { token: token("t"), roomId: ROOM },
      {
        ...deps(anna(), rejected),
        getMembership: () => Promise.reject(new Error("HTTP 500")),
        getPowerLevels: async () => ({ content: levels }),
      },
    );
    expect(result.results.room_membership).toBe(false);
    expect(rejected).toStrictEqual(["membership_lookup_failed"]);
  });

  it("lets a member in without power levels when they cannot be read", async () => {
    const result = await verifyUserInRoom(
      { token: token("t"), roomId: ROOM },
      { ...deps(anna()), getMembership: async () => "join", getPowerLevels: () => Promise.reject(new Error("x")) },
    );
    expect(result).toMatchObject({ results: { user: true, room_membership: true }, power_levels: null });
  });
});

describe("HTTP handlers", () => {
  const BEARER = "uvs-shared-token-0123456789";
  const http = (fetchFn: typeof fetch) => ({
    ...deps(fetchFn),
    ...room("join", { users: {}, state_default: 50 }),
    bearerToken: BEARER,
    defaultServerName: OWN,
  });
  const ok = () => stubFetch(() => json({ sub: "@anna:stadtfunk.test" }));

  it("answers Prosody's request with 200 and the UVS body", async () => {
    const res = await handleVerifyUserInRoom(
      { authorization: `Bearer ${BEARER}`, body: { token: "t", room_id: ROOM, matrix_server_name: OWN } },
      http(ok().fetchFn),
    );
    expect(res).toStrictEqual({
      status: 200,
      body: {
        results: { user: true, room_membership: true },
        user_id: "@anna:stadtfunk.test",
        power_levels: { room: { state_default: 50 }, user: 0 },
      },
    });
  });

  it("uses our own server when the request names none, as Prosody omits it for JWTs without server_name", async () => {
    const { fetchFn, calls } = ok();
    const res = await handleVerifyUser({ authorization: `Bearer ${BEARER}`, body: { token: "t" } }, http(fetchFn));
    expect(res).toStrictEqual({ status: 200, body: { results: { user: true }, user_id: "@anna:stadtfunk.test" } });
    expect(calls[0]!.url.origin).toBe("http://127.0.0.1:8008");
  });

  it.each<[string, unknown]>([
    ["no body", undefined],
    ["a string body", "token=t"],
    ["an empty token", { token: "", room_id: ROOM }],
    ["a numeric token", { token: 42, room_id: ROOM }],
    ["no room", { token: "t" }],
    ["an alias instead of a room ID", { token: "t", room_id: "#bauamt:stadtfunk.test" }],
    ["a server name with a path", { token: "t", room_id: ROOM, matrix_server_name: "x.test/evil" }],
    ["an empty server name", { token: "t", room_id: ROOM, matrix_server_name: "" }],
  ])("answers 400 to %s, without asking the homeserver", async (_what, body) => {
    const { fetchFn, calls } = ok();
    const res = await handleVerifyUserInRoom({ authorization: `Bearer ${BEARER}`, body }, http(fetchFn));
    expect(res.status).toBe(400);
    expect(typeof res.body).toBe("string");
    expect(calls).toHaveLength(0);
  });

  it.each([[undefined], [null], [""], ["Bearer"], ["Bearer wrong"], [`Basic ${BEARER}`], [`Bearer ${BEARER}x`]])(
    "answers 403 {} to authorization %j",
    async (authorization) => {
      const { fetchFn, calls } = ok();
      const body = { token: "t", room_id: ROOM };
      expect(await handleVerifyUserInRoom({ authorization, body }, http(fetchFn))).toStrictEqual({ status: 403, body: {} });
      expect(await handleVerifyUser({ authorization, body }, http(fetchFn))).toStrictEqual({ status: 403, body: {} });
      expect(calls).toHaveLength(0);
    },
  );

  it("never accepts any bearer when no token is configured", () => {
    expect(hasVerifierBearer("Bearer ", "")).toBe(false);
    expect(hasVerifierBearer("Bearer x", "")).toBe(false);
  });
});
