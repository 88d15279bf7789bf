import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { captureLogger } from "./capture-logger";
import { listenForCommands, type CommandContext, type CommandHandler } from "./command-listener";

const NOW = 1_700_000_000_000;

function message(body: string, overrides: Record<string, unknown> = {}) {
  return {
    type: "m.room.message",
    event_id: "$cmd",
    room_id: "!room:stadt.test",
    sender: "@anna:stadt.test",
    origin_server_ts: NOW,
    content: { msgtype: "m.text", body },
    ...overrides,
  };
}

function setup(opts: { isInRoom?: boolean; handler?: CommandHandler } = {}) {
  const events = new EventEmitter();
  const calls: CommandContext[] = [];
  const { logger, lines } = captureLogger();
  const handler: CommandHandler =
    opts.handler ??
    (async (ctx) => {
      calls.push(ctx);
    });
  const stop = listenForCommands({
    events,
    filter: { isOwnUser: (id) => id.startsWith("@_stadtfunk_"), startedAt: NOW - 1_000, maxAgeMs: 60_000 },
    isInRoom: async () => opts.isInRoom ?? true,
    handlers: new Map([["ping", handler]]),
    logger,
    now: () => NOW,
  });
  const emit = async (event: unknown) => {
    events.emit("room.message", "!room:stadt.test", event);
    await new Promise((r) => setTimeout(r, 0));
  };
  return { emit, calls, lines, stop };
}

describe("listenForCommands", () => {
  it("dispatches a known command with its parsed arguments", async () => {
    const { emit, calls } = setup();
    await emit(message("!ping eins zwei"));
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ roomId: "!room:stadt.test", command: { name: "ping", args: ["eins", "zwei"] } });
  });

  it.each([
    ["an unknown command", message("!help")],
    ["plain chat", message("ping")],
    ["a command from a bot", message("!ping", { sender: "@_stadtfunk_bot:stadt.test" })],
    ["a command from before the start", message("!ping", { origin_server_ts: NOW - 2_000 })],
  ])("ignores %s", async (_name, event) => {
    const { emit, calls } = setup();
    await emit(event);
    expect(calls).toEqual([]);
  });

  it("ignores commands in rooms the bot has not joined", async () => {
    const { emit, calls } = setup({ isInRoom: false });
    await emit(message("!ping"));
    expect(calls).toEqual([]);
  });

  it("logs a failing handler with the event id as error id, without the message body", async () => {
    const { emit, lines } = setup({
      handler: async () => {
        throw new Error("send failed");
      },
    });
    await emit(message("!ping geheim"));
    expect(lines).toContainEqual(expect.objectContaining({ level: "error", msg: "command failed", errorId: "$cmd" }));
    expect(JSON.stringify(lines)).not.toContain("geheim");
  });

  it("stops listening", async () => {
    const { emit, calls, stop } = setup();
    stop();
    await emit(message("!ping"));
    expect(calls).toEqual([]);
  });
});
