import type { Enforcement } from "../../lib/policy/room-policy";
import { escapeHtml } from "../shared/replies";

/**
 * The notice the policy bot leaves in the room after it restored a rule,
 * German and English in one message (a room has no single language).
 */

const MAX_NAME_LENGTH = 80;
export const POLICY_BOT_NAME = "Stadtfunk Regeln";

function shorten(text: string): string {
  return text.length > MAX_NAME_LENGTH ? `${text.slice(0, MAX_NAME_LENGTH - 1)}…` : text;
}

function sentences(e: Enforcement): { de: string; en: string } {
  switch (e.action) {
    case "policy.power-levels-restored": {
      const keys = Object.keys(e.after).join(", ");
      return {
        de: `Die Änderung der Berechtigungen wurde zurückgenommen: ${keys} darf nicht unter die Vorgaben der Stadt sinken.`,
        en: `The power-level change was reverted: ${keys} must not go below the city's rules.`,
      };
    }
    case "policy.join-rule-restored":
      if (e.reason === "join-rule-not-as-created") {
        return {
          de: "Die Beitrittsregel dieses Raums (offen für eine Abteilung bzw. die ganze Stadt) wurde wiederhergestellt; öffentliche Räume gibt es nicht.",
          en: "This room's join rule (open to a department or the whole city) was restored; rooms are never public.",
        };
      }
      return {
        de: "Dieser Raum bleibt nur mit Einladung zugänglich; die Änderung der Beitrittsregel wurde zurückgenommen.",
        en: "This room stays invitation-only; the join-rule change was reverted.",
      };
    case "policy.widget-removed": {
      const name = typeof e.before.name === "string" && e.before.name.trim() ? shorten(e.before.name.trim()) : e.stateKey;
      return {
        de: `Das Widget „${name}“ wurde entfernt: In verwalteten Räumen ist nur die Videokonferenz von Stadtfunk erlaubt.`,
        en: `The widget "${name}" was removed: managed rooms only carry Stadtfunk's video call.`,
      };
    }
  }
}

export function enforcementNotice(e: Enforcement): { body: string; html: string } {
  const { de, en } = sentences(e);
  return {
    body: `${POLICY_BOT_NAME}: ${de}\n${en}`,
    html: `<strong>${escapeHtml(POLICY_BOT_NAME)}</strong>: ${escapeHtml(de)}<br>${escapeHtml(en)}`,
  };
}
