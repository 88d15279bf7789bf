import { describe, expect, it } from "vitest";
import { EXCLUDED_TOOLBAR_BUTTONS, meetingOptions } from "./meeting-options";

describe("what the portal passes Jitsi", () => {
  const base = { displayName: "Anna Admin", isModerator: false, audioOnly: false, locale: "de" as const };

  it("starts muted behind the prejoin page, in German, with screen sharing and without recording or invites", () => {
    const o = meetingOptions(base);
    expect(o.lang).toBe("de");
    expect(o.configOverwrite).toMatchObject({
      defaultLanguage: "de",
      startWithAudioMuted: true,
      startWithVideoMuted: true,
      startAudioOnly: false,
      prejoinConfig: { enabled: true },
      disableInviteFunctions: true,
      fileRecordingsEnabled: false,
      liveStreamingEnabled: false,
      disableThirdPartyRequests: true,
    });
    const buttons = o.configOverwrite.toolbarButtons as string[];
    expect(buttons).toContain("desktop");
    for (const off of EXCLUDED_TOOLBAR_BUTTONS) expect(buttons).not.toContain(off);
    expect(buttons).not.toContain("security");
    expect(o.interfaceConfigOverwrite.TOOLBAR_BUTTONS).toEqual(buttons);
    expect(o.userInfo).toEqual({ displayName: "Anna Admin", email: "" });
  });

  it("gives moderators the lobby and mute-all controls, and honours audio-only", () => {
    const o = meetingOptions({ ...base, isModerator: true, audioOnly: true, locale: "en", roomName: "Bauausschuss" });
    expect(o.configOverwrite.toolbarButtons).toEqual(expect.arrayContaining(["security", "mute-everyone"]));
    expect(o.configOverwrite).toMatchObject({ startAudioOnly: true, subject: "Bauausschuss", defaultLanguage: "en" });
  });
});
