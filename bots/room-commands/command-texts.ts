import { escapeHtml } from "../shared/replies";

/**
 * What the room commands answer, in the language of the command word
 * (`!einladen` German, `!invite` English). Every variable part is escaped
 * before it goes into the formatted body.
 */

export type Lang = "de" | "en";

export interface NoticeText {
  body: string;
  html: string;
}

function text(body: string, html?: string): NoticeText {
  return { body, html: html ?? escapeHtml(body) };
}

const code = (s: string) => `<code>${escapeHtml(s)}</code>`;

export function helpText(lang: Lang, serverName: string): NoticeText {
  const lines =
    lang === "de"
      ? [
          ["!einladen @name:" + serverName, `lädt eine Person in diesen Raum ein (Konten von ${serverName})`],
          ["!link [Bezeichnung]", "Gastlink für diesen Raum, privat im Direktchat"],
          ["!hilfe", "diese Hilfe"],
          ["!ping", "prüft, ob Stadtfunk erreichbar ist"],
        ]
      : [
          ["!invite @name:" + serverName, `invites a person into this room (accounts on ${serverName})`],
          ["!guestlink [label]", "guest link for this room, sent privately in a direct chat"],
          ["!help", "this help"],
          ["!ping", "checks that Stadtfunk is reachable"],
        ];
  const title = lang === "de" ? "Befehle für Moderatorinnen und Moderatoren:" : "Commands for moderators:";
  const body = [title, ...lines.map(([c, d]) => `${c} – ${d}`)].join("\n");
  const html = `${escapeHtml(title)}<ul>${lines.map(([c, d]) => `<li>${code(c!)} – ${escapeHtml(d!)}</li>`).join("")}</ul>`;
  return text(body, html);
}

export function notModeratorText(lang: Lang): NoticeText {
  return text(
    lang === "de"
      ? "Diesen Befehl können nur Moderatorinnen und Moderatoren dieses Raums verwenden."
      : "Only moderators of this room can use this command.",
  );
}

export type LinkOutcome =
  | { kind: "sent" }
  | { kind: "no-portal-account"; portalUrl: string }
  | { kind: "refused"; reason: string }
  | { kind: "failed"; errorId: string };

/** The answer in the room: never the link itself, which goes to the direct chat. */
export function linkText(lang: Lang, outcome: LinkOutcome): NoticeText {
  const de = lang === "de";
  switch (outcome.kind) {
    case "sent":
      return text(
        de
          ? "Ich habe Ihnen den Gastlink in einem Direktchat geschickt."
          : "I have sent you the guest link in a direct chat.",
      );
    case "no-portal-account":
      return text(
        de
          ? `Gastlinks tragen den Namen der Person, die sie erstellt. Bitte melden Sie sich einmal im Portal an (${outcome.portalUrl}) und versuchen Sie es dann erneut.`
          : `Guest links carry the name of the person who creates them. Please sign in to the portal once (${outcome.portalUrl}) and try again.`,
      );
    case "refused":
      return text(outcome.reason);
    case "failed":
      return text(
        de
          ? `Der Gastlink konnte nicht erstellt werden. Bitte versuchen Sie es später noch einmal (Fehler-ID ${outcome.errorId}).`
          : `The guest link could not be created. Please try again later (error id ${outcome.errorId}).`,
      );
  }
}

/** The private message with the secret link, for the direct chat only. */
export function guestLinkMessage(
  lang: Lang,
  link: { url: string; roomName: string; expiresAt: string; maxUses: number; manageUrl: string },
): NoticeText {
  const de = lang === "de";
  const lines = de
    ? [
        `Gastlink für „${link.roomName}“:`,
        link.url,
        `Gültig bis ${link.expiresAt}, ${link.maxUses === 1 ? "für eine Person" : `für ${link.maxUses} Personen`}. Bitte nur an die Person weitergeben, für die er gedacht ist.`,
        `Verwalten und widerrufen: ${link.manageUrl}`,
      ]
    : [
        `Guest link for "${link.roomName}":`,
        link.url,
        `Valid until ${link.expiresAt}, ${link.maxUses === 1 ? "for one person" : `for ${link.maxUses} people`}. Please pass it only to the person it is meant for.`,
        `Manage and revoke: ${link.manageUrl}`,
      ];
  const html = [
    escapeHtml(lines[0]!),
    `<a href="${escapeHtml(link.url)}">${escapeHtml(link.url)}</a>`,
    escapeHtml(lines[2]!),
    `<a href="${escapeHtml(link.manageUrl)}">${escapeHtml(lines[3]!)}</a>`,
  ].join("<br>");
  return text(lines.join("\n"), html);
}

export type InviteOutcome =
  | { kind: "invited" | "already-member" | "already-invited" | "banned" | "unknown-user" | "service-account"; userId: string }
  | { kind: "server-not-approved"; userId: string; serverName: string }
  | { kind: "failed"; errorId: string };

export function inviteText(lang: Lang, outcome: InviteOutcome): NoticeText {
  const de = lang === "de";
  switch (outcome.kind) {
    case "invited":
      return text(de ? `${outcome.userId} ist eingeladen.` : `${outcome.userId} has been invited.`);
    case "already-member":
      return text(de ? `${outcome.userId} ist bereits in diesem Raum.` : `${outcome.userId} is already in this room.`);
    case "already-invited":
      return text(de ? `${outcome.userId} ist bereits eingeladen.` : `${outcome.userId} has already been invited.`);
    case "banned":
      return text(
        de
          ? `${outcome.userId} ist aus diesem Raum ausgeschlossen; heben Sie den Ausschluss zuerst auf.`
          : `${outcome.userId} is banned from this room; lift the ban first.`,
      );
    case "unknown-user":
      return text(de ? `Ein Konto ${outcome.userId} gibt es nicht.` : `There is no account ${outcome.userId}.`);
    case "service-account":
      return text(de ? `${outcome.userId} ist ein Dienstkonto und kann nicht eingeladen werden.` : `${outcome.userId} is a service account and cannot be invited.`);
    case "server-not-approved":
      return text(
        de
          ? `${outcome.userId} kann nicht eingeladen werden: Einladungen sind nur für Konten von ${outcome.serverName} möglich.`
          : `${outcome.userId} cannot be invited: only accounts on ${outcome.serverName} can be invited.`,
      );
    case "failed":
      return text(
        de
          ? `Die Einladung hat nicht geklappt. Bitte versuchen Sie es später noch einmal (Fehler-ID ${outcome.errorId}).`
          : `The invitation did not go through. Please try again later (error id ${outcome.errorId}).`,
      );
  }
}
