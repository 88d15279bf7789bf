/** Room IDs are printable ASCII without spaces: `!opaque:server`, or `!hash` from room version 12 on. */
const ROOM_ID = /^![\x21-\x7e]+$/;
const MAX_ROOM_ID_BYTES = 255;

/** The shape check every edge applies to a room id from a URL or a form before asking the homeserver. */
export function isRoomId(value: string): boolean {
  // ASCII only, so length in characters is length in bytes.
  return ROOM_ID.test(value) && value.length <= MAX_ROOM_ID_BYTES;
}
