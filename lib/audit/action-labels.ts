/**
 * German labels for the audit actions the service records. Actions added
 * later (or by another component) without a label are shown as recorded.
 */
const LABELS: Record<string, string> = {
  "person.offboarded": "Zugang gesperrt",
  "person.data-exported": "Datenauskunft exportiert",
  "person.erased": "Personendaten gelöscht",
  "guest-link.created": "Gast-Link erstellt",
  "guest-link.revoked": "Gast-Link widerrufen",
  "guest.redeemed": "Gast-Link eingelöst",
  "guest.admitted": "Gast eingelassen",
  "guest.rejected": "Gast abgewiesen",
  "guest.removed": "Gast entfernt",
  "rules.published": "Nutzungsregeln veröffentlicht",
  "policy.power-levels-restored": "Berechtigungen wiederhergestellt",
  "policy.join-rule-restored": "Beitrittsregel wiederhergestellt",
  "policy.widget-removed": "Fremdes Widget entfernt",
  "audit.exported": "Protokoll exportiert",
};

/** Action prefixes offered as a filter, with their German names. */
export const ACTION_GROUPS: { prefix: string; label: string }[] = [
  { prefix: "person.", label: "Personen" },
  { prefix: "guest", label: "Gäste" },
  { prefix: "policy.", label: "Richtlinie" },
  { prefix: "lifecycle.", label: "Aufbewahrung und Löschung" },
  { prefix: "rules.", label: "Nutzungsregeln" },
  { prefix: "audit.", label: "Protokoll" },
];

export function actionLabel(action: string): string {
  return LABELS[action] ?? action;
}
