/** The call panel's texts; German first, every string also in English. */
const de = {
  heading: "Videokonferenz",
  intro: "Kamera und Mikrofon bleiben aus, bis Sie sie selbst einschalten. Vor dem Beitritt können Sie Ihre Geräte prüfen.",
  moderator: "Sie moderieren diese Videokonferenz.",
  join: "Videokonferenz öffnen",
  rejoin: "Wieder beitreten",
  audioOnly: "Nur Audio (ohne Video)",
  checking: "Verbindung zur Videokonferenz wird geprüft …",
  preparing: "Videokonferenz wird vorbereitet …",
  loading: "Videokonferenz wird geladen …",
  unreachable: "Die Videokonferenz ist gerade nicht erreichbar – der Chat funktioniert weiter.",
  retry: "Erneut versuchen",
  forbidden: "Sie haben keinen Zugang zur Videokonferenz dieses Raums.",
  signedOut: "Ihre Sitzung ist abgelaufen. Bitte melden Sie sich neu an.",
  noMatrixSession: "Ihr Chat-Konto ist noch nicht verbunden. Bitte laden Sie die Seite neu.",
  failed: "Die Videokonferenz konnte nicht gestartet werden.",
  left: "Sie haben die Videokonferenz verlassen.",
  enlarge: "Größere Ansicht",
  shrink: "Normale Ansicht",
  fullscreen: "Vollbild",
  exitFullscreen: "Vollbild beenden",
  frameTitle: "Videokonferenz (Jitsi)",
};

export type CallMessages = { [K in keyof typeof de]: string };

const en: CallMessages = {
  heading: "Video meeting",
  intro: "Camera and microphone stay off until you turn them on. You can check your devices before joining.",
  moderator: "You moderate this video meeting.",
  join: "Open video meeting",
  rejoin: "Join again",
  audioOnly: "Audio only (no video)",
  checking: "Checking the connection to the video meeting …",
  preparing: "Preparing the video meeting …",
  loading: "Loading the video meeting …",
  unreachable: "The video meeting cannot be reached right now – the chat keeps working.",
  retry: "Try again",
  forbidden: "You have no access to this room's video meeting.",
  signedOut: "Your session has ended. Please sign in again.",
  noMatrixSession: "Your chat account is not connected yet. Please reload the page.",
  failed: "The video meeting could not be started.",
  left: "You left the video meeting.",
  enlarge: "Larger view",
  shrink: "Normal view",
  fullscreen: "Full screen",
  exitFullscreen: "Exit full screen",
  frameTitle: "Video meeting (Jitsi)",
};

export type CallLocale = "de" | "en";

export const callMessages: Record<CallLocale, CallMessages> = { de, en };
