import type { GuestAccounts, GuestCredentials } from "../../matrix/guest-accounts";
import type { GuestDeps } from "../guest-deps";

/**
 * A homeserver stand-in for the guest use cases: rooms with members and
 * power levels, guest accounts, and a log of every call, so unit tests can
 * assert what happened without a Synapse.
 */
export function fakeGuestHomeserver(serviceUserId = "@_stadtfunk_bot:stadtfunk.test") {
  const calls: string[] = [];
  const members = new Map<string, Map<string, { membership: string; displayname?: string }>>();
  const power = new Map<string, Record<string, number>>();
  const accounts = new Map<string, { displayname?: string; deactivated: boolean }>();
  const history = new Map<string, string>();
  let device = 0;

  const room = (roomId: string) => {
    let m = members.get(roomId);
    if (!m) members.set(roomId, (m = new Map()));
    return m;
  };
  const creds = (localpart: string): GuestCredentials => ({
    userId: `@${localpart}:stadtfunk.test`,
    accessToken: `token-${localpart}-${++device}`,
    deviceId: `DEVICE${device}`,
  });

  const service: GuestDeps["service"] = {
    userId: serviceUserId,
    async getState(roomId) {
      calls.push(`getState ${roomId}`);
      return [
        { type: "m.room.power_levels", state_key: "", sender: serviceUserId, content: { users: power.get(roomId) ?? {}, kick: 50, users_default: 0 } },
        ...[...room(roomId)].map(([userId, content]) => ({ type: "m.room.member", state_key: userId, sender: userId, content })),
      ];
    },
    async getStateEvent(roomId, type, stateKey) {
      if (type === "m.room.member") return room(roomId).get(stateKey) ?? null;
      if (type === "m.room.history_visibility") return { history_visibility: history.get(roomId) ?? "shared" };
      return null;
    },
    async sendState(roomId, type, _key, content) {
      calls.push(`sendState ${type}`);
      if (type === "m.room.history_visibility") history.set(roomId, (content as { history_visibility: string }).history_visibility);
      return "$event";
    },
    async invite(roomId, userId) {
      calls.push(`invite ${userId}`);
      room(roomId).set(userId, { membership: "invite" });
    },
  };

  const guestAccounts: GuestAccounts = {
    async register(localpart) {
      calls.push(`register ${localpart}`);
      if (accounts.has(localpart)) return null;
      accounts.set(localpart, { deactivated: false });
      return creds(localpart);
    },
    async login(localpart) {
      calls.push(`login ${localpart}`);
      return creds(localpart);
    },
    async setDisplayName(userId, displayname) {
      calls.push(`displayname ${displayname}`);
      const a = accounts.get(userId.slice(1).split(":")[0]!);
      if (a) a.displayname = displayname;
    },
    async join(roomId, userId) {
      calls.push(`join ${userId}`);
      const r = room(roomId);
      if (r.get(userId)?.membership !== "invite") throw new Error("not invited");
      r.set(userId, { membership: "join", displayname: accounts.get(userId.slice(1).split(":")[0]!)?.displayname });
    },
    async kick(roomId, userId) {
      calls.push(`kick ${userId}`);
      room(roomId).set(userId, { membership: "leave" });
    },
    async deactivate(userId) {
      calls.push(`deactivate ${userId}`);
      const a = accounts.get(userId.slice(1).split(":")[0]!);
      if (a) a.deactivated = true;
    },
    async logout() {
      calls.push("logout");
    },
    async notice(_roomId, body) {
      calls.push(`notice ${body}`);
    },
  };

  return {
    calls,
    service,
    accounts: guestAccounts,
    /** Puts a person into a room with a power level (100 = organiser). */
    seat(roomId: string, userId: string, level: number, membership = "join") {
      room(roomId).set(userId, { membership });
      power.set(roomId, { ...(power.get(roomId) ?? {}), [userId]: level });
    },
    membership: (roomId: string, userId: string) => room(roomId).get(userId)?.membership ?? null,
    account: (localpart: string) => accounts.get(localpart),
  };
}
