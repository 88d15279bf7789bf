import { describe, expect, it } from "vitest";
import { asServiceClient, createBotClient, HomeserverError } from "./homeserver";

const BOT = "@_stadtfunk_bot:s.test";
const ROOM = "!abc/def:s.test";

interface Call {
  method: string;
  path: string;
  query: Record<string, string>;
  auth: string | null;
  body: unknown;
}

/** Answers in order; records method, path (still encoded), query and body of every call. */
function fakeFetch(answers: Response[]) {
  const calls: Call[] = [];
  const fetchFn: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    calls.push({
      method: init?.method ?? "GET",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      auth: new Headers(init?.headers).get("authorization"),
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    });
    const answer = answers.shift();
    if (!answer) throw new Error("unexpected call");
    return answer;
  };
  return { fetchFn, calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });

function client(answers: Response[], sleeps: number[] = []) {
  const { fetchFn, calls } = fakeFetch(answers);
  const retry = { sleep: async (ms: number) => void sleeps.push(ms), random: () => 0 };
  return { bot: createBotClient({ homeserverUrl: "http://hs", asToken: "as-secret", fetchFn, retry }, BOT), calls };
}

describe("createBotClient", () => {
  it("sends as the bot with the application service's token and encodes every path segment", async () => {
    const { bot, calls } = client([json(200, { event_id: "$e" })]);
    expect(await bot.sendEvent(ROOM, "m.room.message", "sf.a/b", { body: "x" })).toBe("$e");
    expect(calls).toEqual([
      {
        method: "PUT",
        path: "/_matrix/client/v3/rooms/!abc%2Fdef%3As.test/send/m.room.message/sf.a%2Fb",
        query: { user_id: BOT },
        auth: "Bearer as-secret",
        body: { body: "x" },
      },
    ]);
  });

  it("waits as Retry-After says after a 429 and repeats the same request", async () => {
    const sleeps: number[] = [];
    const { bot, calls } = client(
      [json(429, { errcode: "M_LIMIT_EXCEEDED", retry_after_ms: 9_000 }, { "Retry-After": "2" }), json(200, { event_id: "$s" })],
      sleeps,
    );
    expect(await bot.sendState(ROOM, "m.room.join_rules", "", { join_rule: "invite" })).toBe("$s");
    expect(sleeps).toEqual([2_000]);
    expect(calls.map((c) => c.path)).toEqual([
      "/_matrix/client/v3/rooms/!abc%2Fdef%3As.test/state/m.room.join_rules/",
      "/_matrix/client/v3/rooms/!abc%2Fdef%3As.test/state/m.room.join_rules/",
    ]);
  });

  it("does not repeat a room creation after a 500 (it may have happened)", async () => {
    const { bot, calls } = client([json(500, { errcode: "M_UNKNOWN" })]);
    await expect(bot.createRoom({})).rejects.toBeInstanceOf(HomeserverError);
    expect(calls).toHaveLength(1);
  });

  it("throws HomeserverError with status, errcode and the requested wait", async () => {
    const { bot } = client([json(403, { errcode: "M_FORBIDDEN", error: "no" })]);
    await expect(bot.invite(ROOM, "@x:s.test")).rejects.toMatchObject({ status: 403, errcode: "M_FORBIDDEN", retryAfterMs: undefined });
  });

  it("posts invites with the invitee in the body", async () => {
    const { bot, calls } = client([json(200, {})]);
    await bot.invite(ROOM, "@anna:s.test");
    expect(calls[0]).toMatchObject({ method: "POST", path: "/_matrix/client/v3/rooms/!abc%2Fdef%3As.test/invite", body: { user_id: "@anna:s.test" } });
  });

  it.each([
    [200, true],
    [404, false],
    [403, true],
  ])("userExists is %s → %s", async (status, exists) => {
    const { bot, calls } = client([json(status, status === 200 ? { displayname: "A" } : { errcode: "M_X" })]);
    expect(await bot.userExists("@anna:s.test")).toBe(exists);
    expect(calls[0]?.path).toBe("/_matrix/client/v3/profile/%40anna%3As.test");
  });

  it("reads room state, keeping event ids", async () => {
    const state = [{ type: "m.room.create", state_key: "", sender: BOT, event_id: "$c", content: { room_version: "12" } }];
    const { bot } = client([json(200, state), json(200, state)]);
    expect(await bot.getState(ROOM)).toEqual(state);
    expect(await asServiceClient(bot).getStateEvent(ROOM, "m.room.create", "")).toEqual({ room_version: "12" });
  });
});
