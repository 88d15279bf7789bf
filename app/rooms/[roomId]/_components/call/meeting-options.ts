import type { CallLocale } from "./messages";

/**
 * What the portal passes Jitsi's IFrame API. Recording, live streaming and
 * Jitsi's own invite functions stay off (people are invited to the Matrix
 * room, not to the conference); screen sharing is on; everyone starts with
 * camera and microphone off behind the prejoin page.
 */

/** Toolbar buttons everyone gets (names as in Jitsi's config.js `toolbarButtons`). */
export const MEMBER_TOOLBAR_BUTTONS = [
  "microphone",
  "camera",
  "desktop",
  "chat",
  "raisehand",
  "reactions",
  "participants-pane",
  "tileview",
  "filmstrip",
  "toggle-camera",
  "videoquality",
  "noisesuppression",
  "select-background",
  "settings",
  "shortcuts",
  "hangup",
] as const;

/** Only for the room's moderators: lobby and password, muting everyone. */
export const MODERATOR_TOOLBAR_BUTTONS = ["security", "mute-everyone", "mute-video-everyone"] as const;

/**
 * Never offered: recording and streaming, Jitsi's invite and embed dialogs,
 * and features that reach third parties (shared videos, Etherpad, the
 * whiteboard, transcription, feedback and help links). The full-screen
 * button is the panel's own.
 */
export const EXCLUDED_TOOLBAR_BUTTONS = [
  "recording",
  "livestreaming",
  "invite",
  "embedmeeting",
  "sharedvideo",
  "etherpad",
  "whiteboard",
  "closedcaptions",
  "feedback",
  "help",
  "download",
  "linktosalesforce",
  "profile",
  "fullscreen",
] as const;

export interface MeetingOptionsInput {
  displayName: string;
  isModerator: boolean;
  audioOnly: boolean;
  locale: CallLocale;
  /** Shown as the conference's subject instead of its opaque name. */
  roomName?: string;
}

export interface MeetingOptions {
  configOverwrite: Record<string, unknown>;
  interfaceConfigOverwrite: Record<string, unknown>;
  userInfo: { displayName: string; email: string };
  lang: string;
}

export function meetingOptions(input: MeetingOptionsInput): MeetingOptions {
  const toolbarButtons: string[] = [
    ...MEMBER_TOOLBAR_BUTTONS,
    ...(input.isModerator ? MODERATOR_TOOLBAR_BUTTONS : []),
  ];
  const lang = input.locale;
  return {
    configOverwrite: {
      defaultLanguage: lang,
      ...(input.roomName ? { subject: input.roomName } : {}),
      // Camera and microphone off until the person turns them on.
      startWithAudioMuted: true,
      startWithVideoMuted: true,
      startAudioOnly: input.audioOnly,
      prejoinConfig: { enabled: true, hideExtraJoinButtons: ["by-phone"] },
      // Older Jitsi releases read this instead of prejoinConfig.
      prejoinPageEnabled: true,
      toolbarButtons,
      disableInviteFunctions: true,
      fileRecordingsEnabled: false,
      liveStreamingEnabled: false,
      recordingService: { enabled: false, sharingEnabled: false },
      liveStreaming: { enabled: false },
      localRecording: { disable: true },
      transcription: { enabled: false },
      // No gravatar and similar lookups from the conference.
      disableThirdPartyRequests: true,
      // Phones stay in the browser instead of being sent to an app store.
      disableDeepLinking: true,
      // The name comes from the city's sign-on.
      readOnlyName: true,
      disableProfile: true,
      enableWelcomePage: false,
      enableClosePage: false,
    },
    interfaceConfigOverwrite: {
      TOOLBAR_BUTTONS: toolbarButtons,
      SHOW_JITSI_WATERMARK: false,
      SHOW_WATERMARK_FOR_GUESTS: false,
      SHOW_BRAND_WATERMARK: false,
      SHOW_POWERED_BY: false,
      MOBILE_APP_PROMO: false,
      HIDE_INVITE_MORE_HEADER: true,
    },
    // No e-mail: nothing else about the person travels to the conference.
    userInfo: { displayName: input.displayName, email: "" },
    lang,
  };
}
