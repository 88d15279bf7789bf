/** How large an attachment may be, and how sizes read in German. */
export const DEFAULT_MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;

export const ATTACHMENT_TEXTS_DE = {
  empty: "Die Datei ist leer.",
  tooLarge: (size: string, limit: string) => `Die Datei ist zu groß (${size}). Erlaubt sind höchstens ${limit}.`,
};
export type AttachmentTexts = typeof ATTACHMENT_TEXTS_DE;

const UNITS = ["Byte", "KB", "MB", "GB"] as const;

/** "512 Byte", "1,5 KB", "20 MB" (binary multiples, as the limit is set). */
export function formatBytes(bytes: number, locale = "de-DE"): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 || Number.isInteger(value) ? 0 : 1;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value)} ${UNITS[unit]}`;
}

/** Null when the file may be uploaded, otherwise the message a person sees. */
export function checkAttachmentSize(
  size: number,
  maxBytes: number = DEFAULT_MAX_ATTACHMENT_BYTES,
  texts: AttachmentTexts = ATTACHMENT_TEXTS_DE,
): string | null {
  if (size <= 0) return texts.empty;
  if (size > maxBytes) return texts.tooLarge(formatBytes(size), formatBytes(maxBytes));
  return null;
}
