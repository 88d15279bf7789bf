import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import type { RoomAccess } from "../../lib/rooms/room-access";
import { captureLogger } from "../shared/capture-logger";
import type { MessageContent } from "../shared/replies";
import { RoomWorkQueue } from "../shared/work-queue";
import { start } from "./index";

const NOW = 1_700_000_000_000;
const ROOM = "!managed:stadt.test";
const MOD = "@olga:stadt.test";
const MEMBER = "@carl:stadt.test";

function message(body: string, over: Record<string, unknown> = {}) {
  return {
    type: "m.room.message",
    event_id: "$cmd",
    room_id: ROOM,
    sender: MOD,
    origin_server_ts: NOW,
    content: { msgtype: "m.text", body },
    ...over,
  };
}

function access(userId: string, memberships: Record<string, string> = {}): RoomAccess {
  const isModerator = userId === MOD;
  return {
    roomId: ROOM,
    userId,
    membership: "join",
    powerLevel: isModerator ? 100 : 0,
    isModerator,
    state: Object.entries(memberships).map(([u, m]) => ({ type: "m.room.member", state_key: u, sender: u, content: { membership: m } })),
  };
}

const SECRET_URL = "https://portal.stadt.test/gast#s3cr3t-s3cr3t-s3cr3t";

function setup(
  opts: { managed?: boolean; memberships?: Record<string, string>; existing?: boolean; inviteFails?: boolean; portalAccount?: boolean } = {},
) {
  const links: { roomId: string; userId: string; label: string }[] = [];
  const events = new EventEmitter();
  const sent: { roomId: string; content: MessageContent; key: string }[] = [];
  const invites: string[] = [];
  const { logger, lines } = captureLogger();
  const queue = new RoomWorkQueue(() => {});
  start({
    events,
    messenger: {
      userId: "@_stadtfunk_bot:stadt.test",
      isInRoom: async () => true,
      send: async (roomId, content, key) => {
        sent.push({ roomId, content, key });
        return "$reply";
      },
    },
    client: {
      invite: async (_roomId, userId) => {
        if (opts.inviteFails) throw Object.assign(new Error("M_UNKNOWN"), { status: 500 });
        invites.push(userId);
      },
      userExists: async () => opts.existing ?? true,
    },
    managedRooms: { isManaged: async () => opts.managed ?? true },
    readAccess: async (_roomId, userId) => access(userId, opts.memberships),
    inviteRules: { serverName: "stadt.test", approvedServers: ["stadt.test"], isServiceUser: (u) => u.startsWith("@_stadtfunk_") },
    guestLinks: {
      createLink: async (roomId, userId, label) => {
        if (opts.portalAccount === false) return { kind: "no-portal-account" };
        links.push({ roomId, userId, label });
        return { kind: "created", url: SECRET_URL, expiresAt: new Date(NOW), maxUses: 1, roomName: "Bauausschuss" };
      },
      directRoom: async (userId) => `!dm-${userId}`,
      portalUrl: "https://portal.stadt.test",
      formatTime: () => "14.11.2023, 23:13",
    },
    filter: { isOwnUser: (u) => u.startsWith("@_stadtfunk_"), startedAt: NOW - 1_000, maxAgeMs: 60_000 },
    logger,
    schedule: queue.schedule,
    now: () => NOW,
  });
  const say = async (body: string, over: Record<string, unknown> = {}) => {
    events.emit("room.message", ROOM, message(body, over));
    await new Promise((r) => setTimeout(r, 0));
    await queue.idle();
  };
  const bodies = () => sent.map((s) => s.content.body as string);
  return { say, sent, invites, links, bodies, lines };
}

describe("room commands", () => {
  it("invites for a moderator and answers with a notice replying to the command", async () => {
    const { say, sent, invites } = setup();
    await say("!einladen @anna:stadt.test");
    expect(invites).toEqual(["@anna:stadt.test"]);
    expect(sent).toEqual([
      {
        roomId: ROOM,
        key: "reply:$cmd",
        content: expect.objectContaining({
          msgtype: "m.notice",
          body: "@anna:stadt.test ist eingeladen.",
          "m.relates_to": { "m.in_reply_to": { event_id: "$cmd" } },
        }),
      },
    ]);
  });

  it("answers in English for !invite and completes @name to our server", async () => {
    const { say, invites, bodies } = setup();
    await say("!invite @anna");
    expect(invites).toEqual(["@anna:stadt.test"]);
    expect(bodies()).toEqual(["@anna:stadt.test has been invited."]);
  });

  it.each(["https://matrix.to/#/@anna:stadt.test", "https://matrix.to/#/%40anna%3Astadt.test"])(
    "takes the person from a mention pill (%s) when the body holds the display name",
    async (href) => {
      const { say, invites } = setup();
      await say("!einladen Anna Amt", {
        content: {
          msgtype: "m.text",
          body: "!einladen Anna Amt",
          format: "org.matrix.custom.html",
          formatted_body: `!einladen <a href="${href}">Anna Amt</a>`,
        },
      });
      expect(invites).toEqual(["@anna:stadt.test"]);
    },
  );

  it("refuses a non-moderator with the reason, and does nothing", async () => {
    const { say, invites, bodies, lines } = setup();
    await say("!einladen @anna:stadt.test", { sender: MEMBER });
    await say("!invite @anna:stadt.test", { sender: MEMBER, event_id: "$cmd2" });
    expect(invites).toEqual([]);
    expect(bodies()).toEqual([
      "Diesen Befehl können nur Moderatorinnen und Moderatoren dieses Raums verwenden.",
      "Only moderators of this room can use this command.",
    ]);
    expect(lines).toContainEqual(expect.objectContaining({ msg: "command refused: not a moderator" }));
  });

  it.each([["!einladen"], ["!einladen anna"], ["!einladen @Anna:stadt.test"], ["!einladen @a:stadt.test @b:stadt.test"], ["!hilfe"]])(
    "answers %j with the help text and no action",
    async (body) => {
      const { say, invites, sent } = setup();
      await say(body);
      expect(invites).toEqual([]);
      expect(sent[0]?.content.body).toMatch(/^Befehle für Moderatorinnen und Moderatoren:/);
      expect(sent[0]?.content.formatted_body).toContain("<code>!einladen @name:stadt.test</code>");
    },
  );

  it.each<[string, Record<string, string>, boolean, string]>([
    ["!einladen @mallory:evil.example", {}, true, "@mallory:evil.example kann nicht eingeladen werden: Einladungen sind nur für Konten von stadt.test möglich."],
    ["!einladen @_stadtfunk_bot:stadt.test", {}, true, "@_stadtfunk_bot:stadt.test ist ein Dienstkonto und kann nicht eingeladen werden."],
    ["!einladen @anna:stadt.test", { "@anna:stadt.test": "join" }, true, "@anna:stadt.test ist bereits in diesem Raum."],
    ["!einladen @anna:stadt.test", { "@anna:stadt.test": "invite" }, true, "@anna:stadt.test ist bereits eingeladen."],
    ["!einladen @anna:stadt.test", { "@anna:stadt.test": "ban" }, true, "@anna:stadt.test ist aus diesem Raum ausgeschlossen; heben Sie den Ausschluss zuerst auf."],
    ["!einladen @niemand:stadt.test", {}, false, "Ein Konto @niemand:stadt.test gibt es nicht."],
  ])("%s (%j) → no invite, answer says why", async (body, memberships, existing, answer) => {
    const { say, invites, bodies } = setup({ memberships, existing });
    await say(body);
    expect(invites).toEqual([]);
    expect(bodies()).toEqual([answer]);
  });

  it("tells the room when the homeserver refuses, with the command's event id as error id", async () => {
    const { say, bodies, lines } = setup({ inviteFails: true });
    await say("!einladen @anna:stadt.test");
    expect(bodies()[0]).toContain("Fehler-ID $cmd");
    expect(lines).toContainEqual(expect.objectContaining({ level: "error", errorId: "$cmd", msg: "invite by command failed" }));
  });

  it("sends a guest link privately for !link and tells the room only that it was sent", async () => {
    const { say, sent, links } = setup();
    await say("!link Frau Beispiel");
    expect(links).toEqual([{ roomId: ROOM, userId: MOD, label: "Frau Beispiel" }]);
    const [privately, inRoom] = sent;
    expect(privately).toMatchObject({ roomId: `!dm-${MOD}`, key: "reply:$cmd:guest-link" });
    expect(privately!.content.body).toContain(SECRET_URL);
    expect(privately!.content.formatted_body).toContain(`/rooms/${encodeURIComponent(ROOM)}/gaeste`);
    expect(inRoom).toMatchObject({ roomId: ROOM, key: "reply:$cmd" });
    expect(inRoom!.content.body).toMatch(/Direktchat/);
    expect(JSON.stringify(sent.filter((m) => m.roomId === ROOM))).not.toContain("s3cr3t");
  });

  it("asks someone without a portal account to sign in once, and sends nothing privately", async () => {
    const { say, sent } = setup({ portalAccount: false });
    await say("!guestlink");
    expect(sent).toHaveLength(1);
    expect(sent[0]!.roomId).toBe(ROOM);
    expect(sent[0]!.content.body).toMatch(/sign in to the portal once \(https:\/\/portal\.stadt\.test\)/);
  });

  it("says nothing in a room the service does not manage", async () => {
    const { say, sent, invites } = setup({ managed: false });
    await say("!einladen @anna:stadt.test");
    expect(sent).toEqual([]);
    expect(invites).toEqual([]);
  });

  it("escapes what a person typed before it reaches the formatted body", async () => {
    const { say, sent } = setup();
    await say("!invite @x:<b>evil</b>");
    expect(JSON.stringify(sent)).not.toContain("<b>");
  });
});
