import { describe, expect, it } from "vitest";
import { conferenceIdForRoom } from "./conference-id";
import { buildJitsiWidget, buildWidgetLayout, buildWidgetRemoval, widgetIdFor } from "./widget";

const ROOM_ID = "!abcdefghijklmnop:stadtfunk.test";
const CONF_ID = "EFQWEY3EMVTGO2DJNJVWY3LON5YDU43UMFSHIZTVNZVS45DFON2A";

/** Element's getLocalJitsiWrapperUrl fragment, verbatim (integration facts 1.1). */
const ELEMENT_FRAGMENT =
  "conferenceDomain=$domain&conferenceId=$conferenceId&isAudioOnly=$isAudioOnly" +
  "&startWithAudioMuted=$startWithAudioMuted&startWithVideoMuted=$startWithVideoMuted" +
  "&isVideoChannel=$isVideoChannel&displayName=$matrix_display_name&avatarUrl=$matrix_avatar_url" +
  "&userId=$matrix_user_id&roomId=$matrix_room_id&theme=$theme&roomName=$roomName" +
  "&supportsScreensharing=true&language=$org.matrix.msc2873.client_language";

describe("buildJitsiWidget", () => {
  const base = {
    roomId: ROOM_ID,
    roomName: "Bauamt",
    domain: "meet.stadtfunk.test",
    creatorUserId: "@anna:stadtfunk.test",
    widgetId: "jitsi_0123456789abcdef01234567",
  };

  it.each([
    {
      mode: "matrix" as const,
      conferenceId: CONF_ID,
      expected: {
        type: "im.vector.modular.widgets",
        stateKey: "jitsi_0123456789abcdef01234567",
        content: {
          type: "jitsi",
          url: `https://app.element.io/jitsi.html?confId=${CONF_ID}#${ELEMENT_FRAGMENT}&auth=openidtoken-jwt`,
          name: "Jitsi",
          data: {
            conferenceId: CONF_ID,
            roomName: "Bauamt",
            isAudioOnly: false,
            isVideoChannel: false,
            domain: "meet.stadtfunk.test",
            auth: "openidtoken-jwt",
          },
          creatorUserId: "@anna:stadtfunk.test",
          waitForIframeLoad: true,
        },
      },
    },
    ...(["jwt", "none"] as const).map((mode) => ({
      mode,
      conferenceId: "qx7rm2kd4tjz6w3hbn5cvy2lpa4sefgu",
      expected: {
        type: "im.vector.modular.widgets",
        stateKey: "jitsi_0123456789abcdef01234567",
        content: {
          type: "jitsi",
          url: `https://app.element.io/jitsi.html?confId=qx7rm2kd4tjz6w3hbn5cvy2lpa4sefgu#${ELEMENT_FRAGMENT}`,
          name: "Jitsi",
          data: {
            conferenceId: "qx7rm2kd4tjz6w3hbn5cvy2lpa4sefgu",
            roomName: "Bauamt",
            isAudioOnly: false,
            isVideoChannel: false,
            domain: "meet.stadtfunk.test",
          },
          creatorUserId: "@anna:stadtfunk.test",
          waitForIframeLoad: true,
        },
      },
    })),
  ])("$mode mode writes the state event Element writes", ({ mode, conferenceId, expected }) => {
    const widget = buildJitsiWidget({ ...base, conferenceId, authMode: mode });
    expect(widget).toStrictEqual(expected);
    // No `auth` key at all outside matrix mode, as JSON.stringify drops Element's undefined.
    expect(JSON.parse(JSON.stringify(widget.content))).toStrictEqual(expected.content);
  });

  it("fills the URL template from data the way the widget API does", () => {
    const { content } = buildJitsiWidget({ ...base, conferenceId: CONF_ID, authMode: "matrix" });
    // matrix-widget-api runTemplate: each $key of data or the client becomes its URI-encoded value.
    const vars: Record<string, unknown> = { ...content.data, matrix_user_id: "@ben:stadtfunk.test" };
    const filled = Object.entries(vars).reduce(
      (url, [key, value]) => url.replaceAll(`$${key}`, encodeURIComponent(String(value))),
      content.url,
    );
    const fragment = new URLSearchParams(new URL(filled).hash.slice(1));
    expect(fragment.get("conferenceDomain")).toBe("meet.stadtfunk.test");
    expect(fragment.get("conferenceId")).toBe(CONF_ID);
    expect(fragment.get("roomName")).toBe("Bauamt");
    expect(fragment.get("userId")).toBe("@ben:stadtfunk.test");
    expect(fragment.get("auth")).toBe("openidtoken-jwt");
  });

  it("uses the city's own Element wrapper, audio-only flag and name when given", () => {
    const { content } = buildJitsiWidget({
      ...base,
      conferenceId: CONF_ID,
      authMode: "matrix",
      wrapperUrl: "https://element.stadtfunk.test/jitsi.html?old=1#x",
      isAudioOnly: true,
      name: "Videokonferenz",
    });
    expect(content.url).toBe(
      `https://element.stadtfunk.test/jitsi.html?confId=${CONF_ID}#${ELEMENT_FRAGMENT}&auth=openidtoken-jwt`,
    );
    expect(content.data.isAudioOnly).toBe(true);
    expect(content.name).toBe("Videokonferenz");
  });

  it.each([
    ["matrix mode without a room ID", { authMode: "matrix", conferenceId: CONF_ID, roomId: undefined }],
    ["matrix mode with a conference of another room", { authMode: "matrix", conferenceId: conferenceIdForRoom("!other:x") }],
    ["matrix mode with a random name", { authMode: "matrix", conferenceId: "qx7rm2kd4tjz6w3hbn5cvy2lpa4sefgu" }],
    ["a wildcard conference", { authMode: "jwt", conferenceId: "*" }],
    ["a conference name with a slash", { authMode: "jwt", conferenceId: "tenant/room" }],
    ["a domain with a scheme", { authMode: "none", conferenceId: "abc", domain: "https://meet.x" }],
    ["a widget ID with spaces", { authMode: "none", conferenceId: "abc", widgetId: "a b" }],
    ["a creator that is no user ID", { authMode: "none", conferenceId: "abc", creatorUserId: "anna" }],
    ["a javascript: wrapper", { authMode: "none", conferenceId: "abc", wrapperUrl: "javascript:alert(1)" }],
  ] as const)("refuses %s", (_what, override) => {
    expect(() => buildJitsiWidget({ ...base, ...override })).toThrow();
  });
});

describe("widget IDs, removal and layout", () => {
  it("widgetIdFor is stable per room, distinct across rooms and URL-safe", () => {
    expect(widgetIdFor(ROOM_ID)).toBe(widgetIdFor(ROOM_ID));
    expect(widgetIdFor(ROOM_ID)).not.toBe(widgetIdFor("!other:stadtfunk.test"));
    expect(widgetIdFor(ROOM_ID)).toMatch(/^jitsi_[0-9a-f]{24}$/);
  });

  it("removes a widget with empty content under the same state key", () => {
    expect(buildWidgetRemoval("jitsi_1")).toStrictEqual({
      type: "im.vector.modular.widgets",
      stateKey: "jitsi_1",
      content: {},
    });
  });

  it("pins the widget to the top container, first and full width", () => {
    expect(buildWidgetLayout("jitsi_1")).toStrictEqual({
      type: "io.element.widgets.layout",
      stateKey: "",
      content: { widgets: { jitsi_1: { container: "top", index: 0, width: 100, height: 100 } } },
    });
    expect(buildWidgetLayout("jitsi_1", { height: 60 }).content.widgets.jitsi_1?.height).toBe(60);
  });

  it.each([[-1], [101], [33.3]])("refuses height %d", (height) => {
    expect(() => buildWidgetLayout("jitsi_1", { height })).toThrow();
  });
});
