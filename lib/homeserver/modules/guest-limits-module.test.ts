import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../config/load";
import { buildSynapseConfig } from "../synapse-config";
import { guestLimitsModule } from "./guest-limits-module";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const PYTHON = path.join(ROOT, ".venv", "synapse", "bin", "python");

describe("guestLimitsModule", () => {
  const config = parseConfig({ MATRIX_SERVER_NAME: "stadt.example", APPSERVICE_USER_PREFIX: "_stadtfunk_" });

  it("configures the guest prefix inside the service's namespace and the bot as the only inviter", () => {
    expect(guestLimitsModule(config)).toEqual({
      module: "stadtfunk_guest_limits.GuestLimits",
      config: { guest_prefix: "_stadtfunk_guest_", service_user_id: "@_stadtfunk_bot:stadt.example", display_name_suffix: " (Gast)" },
    });
  });

  it("lands in homeserver.yaml's modules list", () => {
    const yaml = buildSynapseConfig({
      serverName: "stadt.example",
      publicBaseUrl: "http://127.0.0.1:8008",
      port: 8008,
      dataDir: "/tmp/hs",
      registrationSharedSecret: "s".repeat(20),
      logConfigPath: "/tmp/hs/log.yaml",
      modules: [guestLimitsModule(config)],
    });
    expect(yaml.modules).toEqual([guestLimitsModule(config)]);
  });
});

/**
 * The module's decisions with stand-in events, run by Synapse's own Python
 * (the integration tests check the same rules through a real homeserver).
 */
describe.skipIf(!fs.existsSync(PYTHON))("stadtfunk_guest_limits.py", () => {
  const script = String.raw`
import asyncio, json
from types import SimpleNamespace as NS
import stadtfunk_guest_limits as m

class Api:
    server_name = "stadt.example"
    def __init__(self): self.state = {}
    def register_spam_checker_callbacks(self, **kw): pass
    def register_third_party_rules_callbacks(self, **kw): pass
    async def get_room_state(self, room_id, types): return self.state

api = Api()
cfg = m.GuestLimits.parse_config({"guest_prefix": "_stadtfunk_guest_", "service_user_id": "@_stadtfunk_bot:stadt.example"})
g = m.GuestLimits(cfg, api)
guest, staff, bot = "@_stadtfunk_guest_ab12:stadt.example", "@anna:stadt.example", "@_stadtfunk_bot:stadt.example"

def code(r):
    return getattr(r, "value", r)

def ev(sender, type, state_key=None, **content):
    return NS(sender=sender, type=type, state_key=state_key, content=content, room_id="!r", is_state=lambda: state_key is not None)

async def main():
    out = {}
    out["create_guest"] = code(await g.user_may_create_room(guest, {}))
    out["create_staff"] = code(await g.user_may_create_room(staff, {}))
    out["invite_by_guest"] = code(await g.user_may_invite(guest, staff, "!r"))
    out["invite_guest_by_staff"] = code(await g.user_may_invite(staff, guest, "!r"))
    out["invite_guest_by_bot"] = code(await g.user_may_invite(bot, guest, "!r"))
    out["join_uninvited"] = code(await g.user_may_join_room(guest, "!r", False))
    api.state = {("m.room.member", guest): NS(membership="invite", sender=staff)}
    out["join_staff_invite"] = code(await g.user_may_join_room(guest, "!r", True))
    api.state = {("m.room.member", guest): NS(membership="invite", sender=bot)}
    out["join_bot_invite"] = code(await g.user_may_join_room(guest, "!r", True))
    out["state_guest"] = code(await g.user_may_send_state_event(guest, "!r", "m.room.topic", "", {}))
    out["alias_guest"] = code(await g.user_may_create_room_alias(guest, None))
    out["publish_guest"] = code(await g.user_may_publish_room(guest, "!r"))
    out["3pid_guest"] = code(await g.user_may_send_3pid_invite(guest, "email", "a@b", "!r"))
    out["directory_lists_guest"] = await g.check_username_for_spam({"user_id": guest}, staff)
    out["directory_for_guest"] = await g.check_username_for_spam({"user_id": staff}, guest)
    out["directory_staff"] = await g.check_username_for_spam({"user_id": staff}, staff)
    out["event_message"] = (await g.check_event_allowed(ev(guest, "m.room.message", body="hi"), {}))[0]
    out["event_join_marked"] = (await g.check_event_allowed(ev(guest, "m.room.member", guest, membership="join", displayname="Gabi (Gast)"), {}))[0]
    out["event_join_unmarked"] = (await g.check_event_allowed(ev(guest, "m.room.member", guest, membership="join", displayname="Gabi"), {}))[0]
    out["event_leave"] = (await g.check_event_allowed(ev(guest, "m.room.member", guest, membership="leave"), {}))[0]
    out["event_kick_other"] = (await g.check_event_allowed(ev(guest, "m.room.member", staff, membership="leave"), {}))[0]
    out["event_topic"] = (await g.check_event_allowed(ev(guest, "m.room.topic", "", topic="x"), {}))[0]
    out["event_staff_topic"] = (await g.check_event_allowed(ev(staff, "m.room.topic", "", topic="x"), {}))[0]
    for bad in [{}, {"guest_prefix": "_x_guest_"}, {"guest_prefix": "@x", "service_user_id": bot}, {"guest_prefix": "_stadtfunk_", "service_user_id": bot}]:
        try:
            m.GuestLimits.parse_config(bad)
            out.setdefault("config_accepted", []).append(bad)
        except Exception:
            pass
    print(json.dumps(out))

asyncio.run(main())
`;

  it("refuses guests what the issue asks and leaves staff alone", () => {
    const out = JSON.parse(
      execFileSync(PYTHON, ["-c", script], {
        // Cast: Next's types make NODE_ENV mandatory, which Python does not need.
        env: { PYTHONPATH: import.meta.dirname, PYTHONDONTWRITEBYTECODE: "1", PATH: process.env.PATH ?? "" } as unknown as NodeJS.ProcessEnv,
        encoding: "utf8",
      }),
    ) as Record<string, unknown>;
    const FORBIDDEN = "M_FORBIDDEN";
    expect(out).toEqual({
      create_guest: FORBIDDEN,
      create_staff: "NOT_SPAM",
      invite_by_guest: FORBIDDEN,
      invite_guest_by_staff: FORBIDDEN,
      invite_guest_by_bot: "NOT_SPAM",
      join_uninvited: FORBIDDEN,
      join_staff_invite: FORBIDDEN,
      join_bot_invite: "NOT_SPAM",
      state_guest: FORBIDDEN,
      alias_guest: FORBIDDEN,
      publish_guest: FORBIDDEN,
      "3pid_guest": FORBIDDEN,
      directory_lists_guest: true,
      directory_for_guest: true,
      directory_staff: false,
      event_message: true,
      event_join_marked: true,
      event_join_unmarked: false,
      event_leave: true,
      event_kick_other: false,
      event_topic: false,
      event_staff_topic: true,
    });
  });
});
