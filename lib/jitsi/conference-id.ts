import type { AppConfig } from "../config/load";
import { isRoomId } from "../matrix/room-id";
import { base32Decode, base32Encode } from "./base32";

export type JitsiAuthMode = AppConfig["jitsi"]["authMode"];

/** Letters and digits are the only characters every Jitsi component keeps as they are. */
const CONFERENCE_NAME = /^[A-Za-z0-9]+$/;

/** 20 bytes = 160 bits from the CSPRNG; base32 turns them into 32 characters. */
const RANDOM_NAME_BYTES = 20;

export function isConferenceName(value: string): boolean {
  return CONFERENCE_NAME.test(value);
}

/**
 * The conference of a room in `matrix` mode: base32 of the UTF-8 room ID,
 * upper-case, unpadded, byte-for-byte what Element writes, so Element and
 * the portal land in the same call and Prosody can decode it back to the room.
 */
export function conferenceIdForRoom(roomId: string): string {
  if (!isRoomId(roomId)) throw new Error(`not a Matrix room ID: ${JSON.stringify(roomId)}`);
  return base32Encode(new TextEncoder().encode(roomId));
}

/**
 * The room a `matrix`-mode conference belongs to, or null when the name is
 * not the base32 of a room ID. Jitsi lower-cases room names; both cases decode.
 */
export function roomIdFromConferenceId(conferenceId: string): string | null {
  if (!isConferenceName(conferenceId)) return null;
  const bytes = base32Decode(conferenceId);
  if (!bytes) return null;
  let roomId: string;
  try {
    roomId = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
  return isRoomId(roomId) ? roomId : null;
}

/**
 * An unguessable conference name for `jwt`/`none` mode: 160 random bits,
 * lower-case because Jitsi lower-cases room names (and compares the JWT
 * `room` claim with the lower-cased name). Says nothing about the room or
 * its members.
 */
export function randomConferenceName(
  getRandomValues: (bytes: Uint8Array) => Uint8Array = (b) => globalThis.crypto.getRandomValues(b),
): string {
  return base32Encode(getRandomValues(new Uint8Array(RANDOM_NAME_BYTES))).toLowerCase();
}

/** The conference ID a new call widget for this room gets in the given mode. */
export function conferenceIdFor(authMode: JitsiAuthMode, roomId: string): string {
  return authMode === "matrix" ? conferenceIdForRoom(roomId) : randomConferenceName();
}
