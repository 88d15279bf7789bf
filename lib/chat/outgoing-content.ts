import { hasFormatting, parseRichText, richTextToHtml } from "./rich-text";

/**
 * Event contents the portal sends. Formatting is written as escaped HTML in
 * `formatted_body` only when the text has some, so Element shows bold, code
 * and links as the author meant; the portal itself always renders `body`.
 */
export interface TextContent {
  msgtype: "m.text";
  body: string;
  format?: "org.matrix.custom.html";
  formatted_body?: string;
}

/** Messages longer than this are refused before sending (Synapse caps whole events at 64 KiB). */
export const MAX_MESSAGE_LENGTH = 16_000;

export function buildTextContent(text: string): TextContent {
  const nodes = parseRichText(text);
  if (!hasFormatting(nodes)) return { msgtype: "m.text", body: text };
  return { msgtype: "m.text", body: text, format: "org.matrix.custom.html", formatted_body: richTextToHtml(nodes) };
}

/** An edit (m.replace): the fallback for clients without edits, and the new content. */
export function buildEditContent(originalEventId: string, text: string) {
  const next = buildTextContent(text);
  return {
    msgtype: "m.text" as const,
    body: `* ${next.body}`,
    ...(next.formatted_body ? { format: next.format, formatted_body: `* ${next.formatted_body}` } : {}),
    "m.new_content": next,
    "m.relates_to": { rel_type: "m.replace" as const, event_id: originalEventId },
  };
}

export interface UploadedFile {
  mxcUrl: string;
  name: string;
  size: number;
  mimetype: string;
}

/** An m.image for pictures, an m.file for everything else. */
export function buildAttachmentContent(file: UploadedFile) {
  const mimetype = file.mimetype || "application/octet-stream";
  const isImage = /^image\/(png|jpeg|gif|webp)$/.test(mimetype);
  return {
    msgtype: isImage ? ("m.image" as const) : ("m.file" as const),
    body: file.name,
    filename: file.name,
    url: file.mxcUrl,
    info: { size: file.size, mimetype },
  };
}

/** The text to send, or null when there is nothing to send (only whitespace). */
export function normaliseDraft(draft: string): string | null {
  const trimmed = draft.replace(/^\s*\n/, "").trimEnd();
  return trimmed.trim() ? trimmed : null;
}
