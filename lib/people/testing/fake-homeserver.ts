/**
 * A small stand-in for Synapse's admin API, for tests of leavers and room
 * handover. It records every call with its raw (still URL-encoded) path, so
 * tests can assert method, path and encoding.
 */

export interface FakeAccount {
  locked: boolean;
  deactivated?: boolean;
  devices: string[];
  rooms: string[];
}

export interface FakeStateEvent {
  type: string;
  state_key: string;
  sender: string;
  content: Record<string, unknown>;
}

export interface FakeCall {
  method: string;
  path: string;
  body?: unknown;
}

export const FAKE_ADMIN_TOKEN = "fake-admin-token-0123456789";
export const FAKE_HS_URL = "http://homeserver.test";

export function fakeHomeserver(init: {
  accounts?: Record<string, FakeAccount>;
  /** external id (IdP subject) → Matrix user id */
  externalIds?: Record<string, string>;
  roomStates?: Record<string, FakeStateEvent[]>;
}) {
  const accounts = init.accounts ?? {};
  const externalIds = init.externalIds ?? {};
  const roomStates = init.roomStates ?? {};
  const calls: FakeCall[] = [];
  const state = { down: false };

  const json = (status: number, body: unknown) => Response.json(body, { status });
  const notFound = () => json(404, { errcode: "M_NOT_FOUND", error: "Not found" });

  function route(method: string, path: string, body: Record<string, unknown> | undefined): Response {
    const seg = path.split("/").map(decodeURIComponent);
    // ["", "_synapse", "admin", version, ...rest]
    const [, , , version, kind, id, sub, extra] = seg;
    if (kind === "auth_providers" && method === "GET" && sub === "users" && extra) {
      const userId = externalIds[extra];
      return userId ? json(200, { user_id: userId }) : notFound();
    }
    if (kind === "users" && id) {
      const account = accounts[id];
      if (!account) return notFound();
      if (version === "v2" && sub === undefined && method === "GET") {
        return json(200, { name: id, locked: account.locked, deactivated: account.deactivated ?? false });
      }
      if (version === "v2" && sub === undefined && method === "PUT") {
        if (typeof body?.locked === "boolean") account.locked = body.locked;
        return json(200, { name: id, locked: account.locked, deactivated: account.deactivated ?? false });
      }
      if (version === "v2" && sub === "devices" && method === "GET") {
        return json(200, { devices: account.devices.map((d) => ({ device_id: d, display_name: d })), total: account.devices.length });
      }
      if (version === "v2" && sub === "delete_devices" && method === "POST") {
        const remove = new Set((body?.devices as string[] | undefined) ?? []);
        account.devices = account.devices.filter((d) => !remove.has(d));
        return json(200, {});
      }
      if (version === "v1" && sub === "joined_rooms" && method === "GET") {
        return json(200, { joined_rooms: account.rooms, total: account.rooms.length });
      }
    }
    if (kind === "rooms" && id) {
      const roomState = roomStates[id];
      if (!roomState) return notFound();
      if (sub === "state" && method === "GET") return json(200, { state: roomState });
      if (sub === "make_room_admin" && method === "POST") {
        const pl = roomState.find((e) => e.type === "m.room.power_levels");
        const users = (pl?.content.users ?? {}) as Record<string, number>;
        if (pl && typeof body?.user_id === "string") pl.content.users = { ...users, [body.user_id]: 100 };
        return json(200, {});
      }
    }
    return json(404, { errcode: "M_UNRECOGNIZED", error: "Unrecognized request" });
  }

  const fetchFn = (async (input: string | URL | Request, reqInit?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = reqInit?.method ?? "GET";
    const body = typeof reqInit?.body === "string" ? (JSON.parse(reqInit.body) as Record<string, unknown>) : undefined;
    calls.push({ method, path: url.pathname, ...(body ? { body } : {}) });
    if (state.down) throw new TypeError("fetch failed");
    const auth = new Headers(reqInit?.headers).get("authorization");
    if (auth !== `Bearer ${FAKE_ADMIN_TOKEN}`) return json(401, { errcode: "M_UNKNOWN_TOKEN", error: "Invalid token" });
    return route(method, url.pathname, body);
  }) as typeof fetch;

  return {
    fetchFn,
    calls,
    accounts,
    roomStates,
    context: { homeserverUrl: FAKE_HS_URL, adminToken: FAKE_ADMIN_TOKEN, fetchFn },
    /** Every call fails with a network error while set. */
    setDown(down: boolean) {
      state.down = down;
    },
  };
}

export type FakeHomeserver = ReturnType<typeof fakeHomeserver>;

/** Room state as Synapse would hold it: create event, power levels, joined members. */
export function fakeRoomState(opts: {
  creator: string;
  roomVersion?: string;
  users?: Record<string, number>;
  members: string[];
}): FakeStateEvent[] {
  return [
    { type: "m.room.create", state_key: "", sender: opts.creator, content: { room_version: opts.roomVersion ?? "10" } },
    {
      type: "m.room.power_levels",
      state_key: "",
      sender: opts.creator,
      content: { users: opts.users ?? {}, users_default: 0, state_default: 50, events: { "m.room.power_levels": 100 } },
    },
    ...opts.members.map((m) => ({ type: "m.room.member", state_key: m, sender: m, content: { membership: "join" } })),
  ];
}
