/**
 * Markdown-ish inline formatting and safe links for chat messages, as a tree
 * of plain nodes. The portal renders the tree as React elements (text only,
 * never HTML); `richTextToHtml` builds the escaped `formatted_body` that other
 * clients such as Element show.
 *
 * Supported: `code`, **bold**, *italic* / _italic_, and links to http(s)
 * addresses (also bare `www.` addresses). Everything else stays text.
 */
export type RichNode =
  | { type: "text"; text: string }
  | { type: "code"; text: string }
  | { type: "link"; href: string; text: string }
  | { type: "strong"; children: RichNode[] }
  | { type: "em"; children: RichNode[] };

type Rule = { kind: "code" | "link" | "strong" | "em"; pattern: RegExp };

// Order matters only for matches at the same position: code, then links, then emphasis.
const RULES: readonly Rule[] = [
  { kind: "code", pattern: /`([^`\n]+)`/g },
  { kind: "link", pattern: /\b(?:https?:\/\/|www\.)[^\s<>"]+/gi },
  { kind: "strong", pattern: /\*\*(?=\S)([\s\S]*?\S)\*\*/g },
  { kind: "em", pattern: /(?<![\w*])\*(?=[^\s*])([^*\n]*?[^\s*])\*(?![\w*])/g },
  { kind: "em", pattern: /(?<![\p{L}\p{N}_])_(?=[^\s_])([^_\n]*?[^\s_])_(?![\p{L}\p{N}_])/gu },
];

const MAX_DEPTH = 4;
const TRAILING_PUNCTUATION = /[.,;:!?'"»“”‘’]+$/;

/** Drops trailing punctuation and a closing bracket that belongs to the sentence, not the address. */
export function trimLinkCandidate(candidate: string): string {
  let url = candidate.replace(TRAILING_PUNCTUATION, "");
  for (;;) {
    const last = url.at(-1);
    const pair = last === ")" ? "(" : last === "]" ? "[" : null;
    if (!pair) break;
    const opens = url.split(pair).length - 1;
    const closes = url.split(last!).length - 1;
    if (closes <= opens) break;
    url = url.slice(0, -1).replace(TRAILING_PUNCTUATION, "");
  }
  return url;
}

/** An http(s) address for a link, or null: other schemes (javascript:, data:, …) never become links. */
export function safeHref(candidate: string): string | null {
  const withScheme = /^www\./i.test(candidate) ? `https://${candidate}` : candidate;
  try {
    const url = new URL(withScheme);
    if (url.protocol !== "http:" && url.protocol !== "https:") return null;
    if (!url.hostname) return null;
    return url.href;
  } catch {
    return null;
  }
}

interface Found {
  rule: Rule;
  index: number;
  match: RegExpExecArray;
}

function earliestMatch(text: string, from: number): Found | null {
  let best: Found | null = null;
  for (const rule of RULES) {
    rule.pattern.lastIndex = from;
    const match = rule.pattern.exec(text);
    if (match && (!best || match.index < best.index)) best = { rule, index: match.index, match };
  }
  return best;
}

function pushText(nodes: RichNode[], text: string): void {
  if (!text) return;
  const last = nodes.at(-1);
  if (last?.type === "text") last.text += text;
  else nodes.push({ type: "text", text });
}

function parse(text: string, depth: number): RichNode[] {
  const nodes: RichNode[] = [];
  let pos = 0;
  while (pos < text.length) {
    const found = depth < MAX_DEPTH ? earliestMatch(text, pos) : null;
    if (!found) break;
    pushText(nodes, text.slice(pos, found.index));
    const whole = found.match[0];
    const inner = found.match[1] ?? "";
    let consumed = whole.length;
    switch (found.rule.kind) {
      case "code":
        nodes.push({ type: "code", text: inner });
        break;
      case "link": {
        const candidate = trimLinkCandidate(whole);
        const href = safeHref(candidate);
        consumed = Math.max(candidate.length, 1);
        if (href) nodes.push({ type: "link", href, text: candidate });
        else pushText(nodes, text.slice(found.index, found.index + consumed));
        break;
      }
      case "strong":
        nodes.push({ type: "strong", children: parse(inner, depth + 1) });
        break;
      case "em":
        nodes.push({ type: "em", children: parse(inner, depth + 1) });
        break;
    }
    pos = found.index + consumed;
  }
  pushText(nodes, text.slice(pos));
  return nodes;
}

/** Parses a message body into formatting and link nodes; the text itself is never interpreted as HTML. */
export function parseRichText(text: string): RichNode[] {
  return parse(text, 0);
}

/** True when the nodes carry formatting or links (plain text needs no `formatted_body`). */
export function hasFormatting(nodes: readonly RichNode[]): boolean {
  return nodes.some((n) => n.type !== "text");
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

function escapeWithBreaks(text: string): string {
  return escapeHtml(text).replace(/\n/g, "<br>");
}

/** Escaped HTML for Matrix's `formatted_body` (org.matrix.custom.html). */
export function richTextToHtml(nodes: readonly RichNode[]): string {
  return nodes
    .map((n) => {
      switch (n.type) {
        case "text":
          return escapeWithBreaks(n.text);
        case "code":
          return `<code>${escapeHtml(n.text)}</code>`;
        case "link":
          return `<a href="${escapeHtml(n.href)}">${escapeHtml(n.text)}</a>`;
        case "strong":
          return `<strong>${richTextToHtml(n.children)}</strong>`;
        case "em":
          return `<em>${richTextToHtml(n.children)}</em>`;
      }
    })
    .join("");
}
