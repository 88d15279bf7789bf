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
  "policy.room-name-restored": "Raumname wiederhergestellt",
  "policy.upload-removed": "Unzulässige Datei entfernt",
  "policy.flood-warned": "Vor zu vielen Nachrichten gewarnt",
  "policy.flood-restricted": "Wegen zu vieler Nachrichten stummgeschaltet",
  "policy.flood-lifted": "Stummschaltung aufgehoben",
  "policy.template-applied": "Berechtigungsvorlage angewendet",
  "policy.changed": "Richtlinie geändert",
  "rules.accepted": "Nutzungsregeln angenommen",
  "lifecycle.policy_changed": "Aufbewahrungsregeln geändert",
  "lifecycle.room_announced": "Löschung im Raum angekündigt",
  "lifecycle.room_deleted": "Raum gelöscht",
  "lifecycle.room_delete_failed": "Raumlöschung fehlgeschlagen",
  "lifecycle.room_kept": "Raum dauerhaft behalten",
  "lifecycle.room_keep_released": "Dauerhaftes Behalten aufgehoben",
  "lifecycle.room_postponed": "Löschung aufgeschoben",
  "lifecycle.room_period_set": "Aufbewahrungsfrist des Raums gesetzt",
  "lifecycle.guest_deactivated": "Gastkonto deaktiviert",
  "lifecycle.guest_deactivation_failed": "Gastkonto-Deaktivierung fehlgeschlagen",
  "lifecycle.job_retried": "Löschauftrag wiederholt",
  "federation.partner-created": "Partnerorganisation angelegt",
  "federation.partner-updated": "Partnerorganisation geändert",
  "federation.partner-approved": "Partnerorganisation freigegeben",
  "federation.partner-suspended": "Partnerorganisation gesperrt",
  "federation.partner-user-invited": "Person einer Partnerorganisation eingeladen",
  "federation.room-partners-changed": "Partner eines Raums geändert",
  "federation.room-federation-applied": "Serverfreigaben des Raums angewendet",
  "audit.exported": "Protokoll exportiert",
};

/** Action prefixes offered as a filter, with their German names. */
export const ACTION_GROUPS: { prefix: string; label: string }[] = [
  { prefix: "person.", label: "Personen" },
  { prefix: "guest", label: "Gäste" },
  { prefix: "policy.", label: "Richtlinie" },
  { prefix: "lifecycle.", label: "Aufbewahrung und Löschung" },
  { prefix: "federation.", label: "Partnerorganisationen" },
  { prefix: "rules.", label: "Nutzungsregeln" },
  { prefix: "audit.", label: "Protokoll" },
];

export function actionLabel(action: string): string {
  return LABELS[action] ?? action;
}
