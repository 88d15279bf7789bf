/** Every guest's name carries this suffix, in the room and in the call. */
export const GUEST_SUFFIX = " (Gast)";
export const MAX_GUEST_NAME_LENGTH = 60;

/**
 * The name as the guest typed it, made safe to show: control and
 * formatting characters out (no bidi tricks), whitespace collapsed, and a
 * typed "(Gast)" removed so the suffix is never doubled.
 */
export function cleanGuestName(raw: string): string {
  return raw
    .normalize("NFC")
    .replace(/\s+/g, " ")
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, "")
    .trim()
    .replace(/(\s*\((gast|guest)\))+$/i, "")
    .trim();
}

/** Why a cleaned name is not acceptable, or null. */
export function guestNameProblem(cleaned: string): string | null {
  if (cleaned.length < 2) return "name-too-short";
  if (cleaned.length > MAX_GUEST_NAME_LENGTH) return "name-too-long";
  return null;
}

/** What the room shows: the guest's name, always marked as a guest. */
export function guestDisplayName(cleaned: string): string {
  return `${cleaned}${GUEST_SUFFIX}`;
}
