/**
 * CSV (RFC 4180: comma, CRLF, double quotes) for spreadsheet programs. A
 * cell that starts like a formula (= + - @, or a tab / carriage return that
 * some programs skip) gets a leading apostrophe, so a value an attacker put
 * into the log (a room name, a display name) is never evaluated when the
 * data-protection officer opens the file (OWASP "CSV Injection").
 */

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",;\r\n]/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = value instanceof Date ? value.toISOString() : typeof value === "object" ? JSON.stringify(value) : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(cells: readonly unknown[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

/** Byte-order mark: spreadsheet programs then read the file as UTF-8 (umlauts). */
export const CSV_BOM = "\uFEFF";
