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
          ["!link", "Gastlink für diesen Raum (folgt)"],
          ["!hilfe", "diese Hilfe"],
          ["!ping", "prüft, ob Stadtfunk erreichbar ist"],
        ]
      : [
          ["!invite @name:" + serverName, `invites a person into this room (accounts on ${serverName})`],
          ["!link", "guest link for this room (coming)"],
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

export function linkNotYetText(): NoticeText {
  return text(
    "Gastlinks gibt es hier noch nicht; bitte laden Sie Gäste über das Portal ein. " +
      "Guest links are not available here yet; please invite guests through the portal.",
  );
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
