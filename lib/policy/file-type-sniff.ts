/**
 * The real type of a file from its first bytes (magic numbers), never from
 * the name or the type the uploader declared. Covers what the usage policy
 * may allow plus the dangerous types worth naming in an audit entry.
 * Anything unrecognised is `application/octet-stream`.
 */

export const UNKNOWN_TYPE = "application/octet-stream";
/** Enough bytes for every signature here, including the names inside an office document's zip. */
export const SNIFF_BYTES = 64 * 1024;

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0): boolean =>
  bytes.length >= offset + signature.length && signature.every((b, i) => bytes[offset + i] === b);

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

const SIGNATURES: readonly { type: string; bytes: readonly number[]; offset?: number }[] = [
  { type: "image/png", bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: "image/jpeg", bytes: [0xff, 0xd8, 0xff] },
  { type: "image/gif", bytes: ascii("GIF87a") },
  { type: "image/gif", bytes: ascii("GIF89a") },
  { type: "application/pdf", bytes: ascii("%PDF-") },
  { type: "application/x-msdownload", bytes: ascii("MZ") },
  { type: "application/x-executable", bytes: [0x7f, 0x45, 0x4c, 0x46] },
  { type: "application/x-mach-binary", bytes: [0xcf, 0xfa, 0xed, 0xfe] },
  { type: "application/x-sh", bytes: ascii("#!") },
  { type: "video/webm", bytes: [0x1a, 0x45, 0xdf, 0xa3] },
  { type: "audio/ogg", bytes: ascii("OggS") },
  { type: "audio/mpeg", bytes: ascii("ID3") },
  { type: "application/x-7z-compressed", bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { type: "application/x-rar-compressed", bytes: ascii("Rar!") },
  { type: "application/gzip", bytes: [0x1f, 0x8b] },
  { type: "application/x-ole-storage", bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] },
];

function includes(bytes: Uint8Array, needle: string): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(needle, 0, "latin1");
}

/** A zip is an office document when its entries say so; otherwise just a zip. */
function zipType(bytes: Uint8Array): string {
  // OpenDocument stores its type uncompressed as the first entry, `mimetype`.
  if (includes(bytes, "mimetypeapplication/vnd.oasis.opendocument.text")) return "application/vnd.oasis.opendocument.text";
  if (includes(bytes, "mimetypeapplication/vnd.oasis.opendocument.spreadsheet")) return "application/vnd.oasis.opendocument.spreadsheet";
  if (includes(bytes, "mimetypeapplication/vnd.oasis.opendocument.presentation")) return "application/vnd.oasis.opendocument.presentation";
  if (includes(bytes, "[Content_Types].xml") || includes(bytes, "_rels/.rels")) {
    if (includes(bytes, "word/")) return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    if (includes(bytes, "xl/")) return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    if (includes(bytes, "ppt/")) return "application/vnd.openxmlformats-officedocument.presentationml.presentation";
  }
  return "application/zip";
}

/** Plain text: valid UTF-8 without control characters other than tab, line breaks and form feed. */
function isText(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  // A cut-off multi-byte character at the end of the sample is not an error.
  const sample = bytes.length >= SNIFF_BYTES ? bytes.subarray(0, bytes.length - 4) : bytes;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(sample);
  } catch {
    return false;
  }
  // eslint-disable-next-line no-control-regex
  return !/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text);
}

export function sniffFileType(bytes: Uint8Array): string {
  for (const s of SIGNATURES) if (startsWith(bytes, s.bytes, s.offset)) return s.type;
  if (startsWith(bytes, ascii("PK\u0003\u0004"))) return zipType(bytes);
  if (startsWith(bytes, ascii("RIFF")) && startsWith(bytes, ascii("WEBP"), 8)) return "image/webp";
  if (startsWith(bytes, ascii("RIFF")) && startsWith(bytes, ascii("WAVE"), 8)) return "audio/wav";
  if (startsWith(bytes, ascii("ftyp"), 4)) {
    const brand = String.fromCharCode(...bytes.subarray(8, 12));
    return brand === "M4A " ? "audio/mp4" : brand.startsWith("qt") ? "video/quicktime" : "video/mp4";
  }
  // MPEG audio frame sync without an ID3 tag.
  if (bytes.length >= 2 && bytes[0] === 0xff && (bytes[1]! & 0xe0) === 0xe0) return "audio/mpeg";
  const head = new TextDecoder("utf-8", { fatal: false }).decode(bytes.subarray(0, 512)).trimStart().toLowerCase();
  if (head.startsWith("<!doctype html") || head.startsWith("<html") || head.startsWith("<script")) return "text/html";
  if (head.startsWith("<svg") || (head.startsWith("<?xml") && head.includes("<svg"))) return "image/svg+xml";
  if (isText(bytes)) return "text/plain";
  return UNKNOWN_TYPE;
}
