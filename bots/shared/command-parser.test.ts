import { describe, expect, it } from "vitest";
import { parseCommand } from "./command-parser";

describe("parseCommand", () => {
  it.each([
    ["!ping", { name: "ping", args: [] }],
    ["  !ping  ", { name: "ping", args: [] }],
    ["!PING", { name: "ping", args: [] }],
    ["!ping now", { name: "ping", args: ["now"] }],
    ["!meeting  create\tMontag 10:00", { name: "meeting", args: ["create", "Montag", "10:00"] }],
    ["!ping\nsecond line", { name: "ping", args: ["second", "line"] }],
    ["!room-info", { name: "room-info", args: [] }],
  ])("parses %j", (body, expected) => {
    expect(parseCommand(body)).toEqual(expected);
  });

  it.each([
    ["empty", ""],
    ["only whitespace", "   "],
    ["only the prefix", "!"],
    ["a space after the prefix", "! ping"],
    ["a double prefix", "!!ping"],
    ["a command mid-sentence", "please !ping"],
    ["a reply fallback quoting a command", "> <@anna:stadt.test> !ping\n\nthanks"],
    ["punctuation as the word", "!?"],
    ["a word starting with a digit", "!1ping"],
    ["a non-ASCII word", "!Ärger bleibt"],
    ["plain chat", "Guten Morgen"],
  ])("rejects %s", (_name, body) => {
    expect(parseCommand(body)).toBeUndefined();
  });

  it("honours another prefix", () => {
    expect(parseCommand("/ping", "/")).toEqual({ name: "ping", args: [] });
    expect(parseCommand("!ping", "/")).toBeUndefined();
  });
});
