import { describe, expect, it } from "vitest";
import { isRoomId } from "../matrix/room-id";
import { base32Decode, base32Encode } from "./base32";
import {
  conferenceIdFor,
  conferenceIdForRoom,
  randomConferenceName,
  roomIdFromConferenceId,
} from "./conference-id";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("base32 (RFC 4648, unpadded)", () => {
  // RFC 4648 section 10, padding removed as Element writes it.
  it.each([
    ["", ""],
    ["f", "MY"],
    ["fo", "MZXQ"],
    ["foo", "MZXW6"],
    ["foob", "MZXW6YQ"],
    ["fooba", "MZXW6YTB"],
    ["foobar", "MZXW6YTBOI"],
  ])("encodes %j as %s and back", (plain, encoded) => {
    expect(base32Encode(bytes(plain))).toBe(encoded);
    expect(base32Decode(encoded)).toEqual(bytes(plain));
    expect(base32Decode(encoded.toLowerCase())).toEqual(bytes(plain));
  });

  it.each(["M", "MZX", "MZXW6Y", "MZ1Q", "MZ Q", "MZXR" /* non-zero leftover bits */])("rejects %j", (bad) => {
    expect(base32Decode(bad)).toBeNull();
  });
});

describe("room ids", () => {
  it("accepts room version 12 ids without a server part, and the older !opaque:server form", () => {
    // A v12 id is the create event's hash (unpadded URL-safe base64); the portal's forms carry such ids.
    expect(isRoomId("!tsDQh3ZQdIl8o-8mN2r0tIXnV4C4F3UxK6-rbMmMwXs")).toBe(true);
    expect(isRoomId("!OGEhHVWSdvArJzumhm:matrix.org")).toBe(true);
  });

  it.each(["", "!", "room", "#alias:server", "!a b:server", `!${"a".repeat(255)}`])("refuses %j", (bad) => {
    expect(isRoomId(bad)).toBe(false);
  });
});

describe("conference IDs", () => {
  // Vectors computed independently with Python's base64.b32encode, padding stripped.
  it.each([
    ["!OGEhHVWSdvArJzumhm:matrix.org", "EFHUORLIJBLFOU3EOZAXEST2OVWWQ3J2NVQXI4TJPAXG64TH"],
    ["!abcdefghijklmnop:stadtfunk.test", "EFQWEY3EMVTGO2DJNJVWY3LON5YDU43UMFSHIZTVNZVS45DFON2A"],
  ])("matrix mode: %s is base32 %s, and decodes back from either case", (roomId, confId) => {
    expect(conferenceIdForRoom(roomId)).toBe(confId);
    expect(conferenceIdFor("matrix", roomId)).toBe(confId);
    expect(roomIdFromConferenceId(confId)).toBe(roomId);
    // Jitsi lower-cases room names.
    expect(roomIdFromConferenceId(confId.toLowerCase())).toBe(roomId);
  });

  it("matrix mode handles room version 12 IDs without a server part", () => {
    const roomId = "!Q1n4v9yJ2xg7KkZ0l3mC-8_hTqL5rWsPaYbNcDeFgHi";
    expect(roomIdFromConferenceId(conferenceIdForRoom(roomId))).toBe(roomId);
  });

  it.each(["", "room", "!has space:x", "#alias:x", `!${"a".repeat(300)}:x`])(
    "refuses to derive a conference from %j",
    (bad) => {
      expect(() => conferenceIdForRoom(bad)).toThrow();
    },
  );

  it.each([
    ["not base32", "not-base32!"],
    ["wildcard", "*"],
    ["a random name", randomConferenceName()],
    ["base32 of something that is no room ID", base32Encode(bytes("hello world"))],
    ["base32 of invalid UTF-8", base32Encode(new Uint8Array([0x21, 0xff, 0xfe]))],
  ])("does not map %s back to a room", (_what, name) => {
    expect(roomIdFromConferenceId(name)).toBeNull();
  });

  it("jwt/none modes: 32 lower-case base32 characters carrying 160 random bits", () => {
    const names = new Set(Array.from({ length: 200 }, () => conferenceIdFor("jwt", "!r:stadtfunk.test")));
    expect(names.size).toBe(200);
    for (const name of names) expect(name).toMatch(/^[a-z2-7]{32}$/);
    expect(conferenceIdFor("none", "!r:stadtfunk.test")).toMatch(/^[a-z2-7]{32}$/);
  });

  it("the random name is the CSPRNG output, and nothing about the room", () => {
    const zeros = randomConferenceName((b) => b.fill(0));
    expect(zeros).toBe("a".repeat(32));
    const ones = randomConferenceName((b) => b.fill(0xff));
    expect(ones).toBe("7".repeat(32));
  });
});
