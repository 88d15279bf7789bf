/** What the dashboard shows next to a room: its unread count, mentions, or an open invitation. */
export const UNREAD_TEXTS_DE = {
  unread: (n: number) => (n === 1 ? "1 ungelesene Nachricht" : `${n} ungelesene Nachrichten`),
  mentions: (n: number) => (n === 1 ? "davon 1 Erwähnung" : `davon ${n} Erwähnungen`),
  invite: "Einladung",
  inviteDescription: "Sie sind eingeladen und noch nicht beigetreten",
};
export type UnreadTexts = typeof UNREAD_TEXTS_DE;

export interface UnreadInput {
  membership: string | null;
  /** Server-side notification count of the room. */
  total: number;
  /** Of which mentions / keywords. */
  highlight: number;
}

export interface UnreadBadgeModel {
  label: string;
  /** Full sentence for screen readers and tooltips. */
  description: string;
  tone: "normal" | "highlight" | "invite";
}

const MAX_SHOWN = 99;

export function unreadBadge(input: UnreadInput, texts: UnreadTexts = UNREAD_TEXTS_DE): UnreadBadgeModel | null {
  if (input.membership === "invite") return { label: texts.invite, description: texts.inviteDescription, tone: "invite" };
  if (input.membership !== "join") return null;
  const total = Math.max(0, Math.floor(input.total));
  const highlight = Math.min(total, Math.max(0, Math.floor(input.highlight)));
  if (total === 0) return null;
  const label = total > MAX_SHOWN ? `${MAX_SHOWN}+` : String(total);
  const description = highlight > 0 ? `${texts.unread(total)}, ${texts.mentions(highlight)}` : texts.unread(total);
  return { label, description, tone: highlight > 0 ? "highlight" : "normal" };
}
