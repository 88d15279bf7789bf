/**
 * What opening a room to a partner organisation means for the data in it,
 * for the privacy notice (published by city IT as a new version) and the
 * pages where rooms are opened.
 */
export const FEDERATION_PRIVACY_DE =
  "Ist ein Raum für eine Partnerorganisation der Stadt (z. B. Stadtwerke) geöffnet, werden Nachrichten, Dateien und " +
  "Mitgliedschaften des Raums auch auf dem Matrix-Server dieser Organisation gespeichert; dort ist die Organisation " +
  "verantwortlich. Löscht die Stadt den Raum, löscht sie ihn nur auf ihrem eigenen Server. Die Partner werden vorher " +
  "benachrichtigt, dass der Raum geschlossen wird; ihre Kopie löschen sie nach ihren eigenen Regeln.";

export const FEDERATION_PRIVACY_EN =
  "If a room is opened to one of the city's partner organisations (e.g. the municipal utilities), its messages, files " +
  "and memberships are also stored on that organisation's Matrix server, where the organisation is responsible. When " +
  "the city deletes the room, it deletes it on its own server only. Partners are told beforehand that the room is " +
  "closed; they delete their copy under their own rules.";

/**
 * The guest's privacy notice for a room opened to partners carries the
 * paragraph above, so a guest learns before accepting that this room's data
 * also lives on a partner's server. Rooms kept local are unchanged.
 */
export function withPartnerNotice<T extends { de: { privacy: string }; en: { privacy: string } }>(rules: T, isOpenedToPartners: boolean): T {
  if (!isOpenedToPartners) return rules;
  return {
    ...rules,
    de: { ...rules.de, privacy: `${rules.de.privacy.trimEnd()}\n\n${FEDERATION_PRIVACY_DE}` },
    en: { ...rules.en, privacy: `${rules.en.privacy.trimEnd()}\n\n${FEDERATION_PRIVACY_EN}` },
  };
}
