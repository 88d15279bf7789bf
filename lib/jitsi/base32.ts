import { base32 } from "rfc4648";

/**
 * RFC 4648 base32 without padding - the encoding Element uses for conference
 * ids (`base32.stringify(bytes, { pad: false })` from the same package).
 */
export function base32Encode(bytes: Uint8Array): string {
  return base32.stringify(bytes, { pad: false });
}

/**
 * Decodes base32 in either case (Jitsi lower-cases room names); `loose` lets
 * the padding be left out. Returns null
 * for anything that is not canonical base32: the parser refuses non-zero
 * leftover bits, so two spellings can never decode to the same room.
 */
export function base32Decode(text: string): Uint8Array | null {
  const upper = text.toUpperCase();
  // `loose` would also read 0, 1 and 8 as O, L and B; only the real alphabet is a conference id.
  if (!/^[A-Z2-7]*=*$/.test(upper)) return null;
  try {
    return base32.parse(upper, { loose: true });
  } catch {
    return null;
  }
}
