/** Sentences for membership changes and the few room changes the chat shows. */
export const ROOM_CHANGE_TEXTS_DE = {
  joined: (who: string) => `${who} ist beigetreten`,
  left: (who: string) => `${who} hat den Raum verlassen`,
  invited: (by: string, who: string) => `${by} hat ${who} eingeladen`,
  declined: (who: string) => `${who} hat die Einladung abgelehnt`,
  inviteWithdrawn: (by: string, who: string) => `${by} hat die Einladung für ${who} zurückgezogen`,
  removed: (by: string, who: string) => `${by} hat ${who} aus dem Raum entfernt`,
  banned: (by: string, who: string) => `${by} hat ${who} gesperrt`,
  unbanned: (by: string, who: string) => `${by} hat die Sperre für ${who} aufgehoben`,
  knocked: (who: string) => `${who} bittet um Zutritt`,
  renamed: (before: string, after: string) => `${before} heißt jetzt ${after}`,
  roomNamed: (by: string, name: string) => `${by} hat den Raum in „${name}“ umbenannt`,
  topicChanged: (by: string, topic: string) => `${by} hat die Beschreibung geändert: ${topic}`,
  topicRemoved: (by: string) => `${by} hat die Beschreibung entfernt`,
};
export type RoomChangeTexts = typeof ROOM_CHANGE_TEXTS_DE;

export interface MembershipChange {
  sender: string;
  senderName: string;
  target: string;
  targetName: string;
  membership: unknown;
  prevMembership: unknown;
  displayName: unknown;
  prevDisplayName: unknown;
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v : undefined);

/** The sentence for a membership event, or null when nothing a person would notice changed (e.g. an avatar). */
export function describeMembership(c: MembershipChange, texts: RoomChangeTexts = ROOM_CHANGE_TEXTS_DE): string | null {
  const who = c.targetName;
  const by = c.senderName;
  const self = c.sender === c.target;
  switch (c.membership) {
    case "join":
      if (c.prevMembership !== "join") return texts.joined(who);
      {
        const before = str(c.prevDisplayName);
        const after = str(c.displayName);
        if (before && after && before !== after) return texts.renamed(before, after);
      }
      return null;
    case "invite":
      return texts.invited(by, who);
    case "leave":
      if (self) return c.prevMembership === "invite" ? texts.declined(who) : texts.left(who);
      if (c.prevMembership === "invite") return texts.inviteWithdrawn(by, who);
      if (c.prevMembership === "ban") return texts.unbanned(by, who);
      return texts.removed(by, who);
    case "ban":
      return texts.banned(by, who);
    case "knock":
      return texts.knocked(who);
    default:
      return null;
  }
}
