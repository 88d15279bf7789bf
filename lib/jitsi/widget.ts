import { createHash } from "node:crypto";
import { conferenceIdForRoom, isConferenceName, type JitsiAuthMode } from "./conference-id";

/** Element still writes the legacy event type; `m.widget` is read but never written. */
export const WIDGET_EVENT_TYPE = "im.vector.modular.widgets";
export const WIDGET_LAYOUT_EVENT_TYPE = "io.element.widgets.layout";
/** The legacy `jitsi` type is what Element writes; readers also accept `m.jitsi`. */
export const JITSI_WIDGET_TYPE = "jitsi";
/** Tells Element's wrapper to fetch an OpenID token and wrap it for Prosody's UVS check. */
export const OPENID_JWT_AUTH = "openidtoken-jwt";

/**
 * Where clients other than Element Web find the wrapper page. Element renders
 * Jitsi widgets with its own local `jitsi.html` and ignores this URL; Element
 * itself writes this address when it runs from a non-https origin.
 */
export const DEFAULT_JITSI_WRAPPER_URL = "https://app.element.io/jitsi.html";

/**
 * The fragment Element's `getLocalJitsiWrapperUrl` writes. The `$name`
 * variables are filled in by the widget API from `data` and the client;
 * `supportsScreensharing` is a literal Element computes (true on the web).
 */
const FRAGMENT_PARTS = [
  "conferenceDomain=$domain",
  "conferenceId=$conferenceId",
  "isAudioOnly=$isAudioOnly",
  "startWithAudioMuted=$startWithAudioMuted",
  "startWithVideoMuted=$startWithVideoMuted",
  "isVideoChannel=$isVideoChannel",
  "displayName=$matrix_display_name",
  "avatarUrl=$matrix_avatar_url",
  "userId=$matrix_user_id",
  "roomId=$matrix_room_id",
  "theme=$theme",
  "roomName=$roomName",
  "supportsScreensharing=true",
  "language=$org.matrix.msc2873.client_language",
] as const;

export interface JitsiWidgetData {
  conferenceId: string;
  roomName: string;
  isAudioOnly: boolean;
  isVideoChannel: boolean;
  domain: string;
  /** Only present in `matrix` mode, as Element leaves it undefined otherwise. */
  auth?: typeof OPENID_JWT_AUTH;
}

export interface JitsiWidgetContent {
  type: typeof JITSI_WIDGET_TYPE;
  url: string;
  name: string;
  data: JitsiWidgetData;
  creatorUserId: string;
  waitForIframeLoad: boolean;
}

export interface StateEventSpec<C> {
  type: string;
  stateKey: string;
  content: C;
}

export interface BuildJitsiWidgetInput {
  /** Required in `matrix` mode, where the conference ID must be the room's base32. */
  roomId?: string;
  conferenceId: string;
  roomName: string;
  /** Jitsi host name, e.g. meet.stadt.example (no scheme). */
  domain: string;
  authMode: JitsiAuthMode;
  creatorUserId: string;
  widgetId: string;
  isAudioOnly?: boolean;
  /** Shown in Element's app drawer header; Element itself writes "Jitsi". */
  name?: string;
  /** The city's own Element Web `jitsi.html`, if there is one. */
  wrapperUrl?: string;
}

/** Widget IDs go into URLs and state keys: keep them to URL-safe characters. */
const WIDGET_ID = /^[A-Za-z0-9_.-]{1,200}$/;
const JITSI_DOMAIN = /^[a-z0-9.-]+(:\d{1,5})?$/i;

/**
 * A stable widget ID for a room's call. Deterministic so that writing the
 * widget twice (a retry, a restart) replaces it instead of adding a second
 * call; derived by hash so it is unique across rooms, as older Element
 * versions keyed widgets by ID alone.
 */
export function widgetIdFor(roomId: string): string {
  const digest = createHash("sha256").update(roomId, "utf8").digest("hex");
  return `jitsi_${digest.slice(0, 24)}`;
}

function wrapperUrlWithConference(wrapperUrl: string, conferenceId: string, auth: string | undefined): string {
  const base = new URL(wrapperUrl);
  if (base.protocol !== "https:" && base.protocol !== "http:") {
    throw new Error(`Jitsi wrapper URL must be http(s): ${wrapperUrl}`);
  }
  // `confId` in the query is Element's legacy hint for mobile clients.
  base.search = "";
  base.hash = "";
  base.searchParams.set("confId", conferenceId);
  const fragment = [...FRAGMENT_PARTS, ...(auth ? [`auth=${auth}`] : [])].join("&");
  return `${base.href}#${fragment}`;
}

/** The `im.vector.modular.widgets` state event Element writes for a Jitsi call. */
export function buildJitsiWidget(input: BuildJitsiWidgetInput): StateEventSpec<JitsiWidgetContent> {
  if (!WIDGET_ID.test(input.widgetId)) throw new Error(`invalid widget ID: ${JSON.stringify(input.widgetId)}`);
  if (!JITSI_DOMAIN.test(input.domain)) throw new Error(`invalid Jitsi domain: ${JSON.stringify(input.domain)}`);
  if (!isConferenceName(input.conferenceId)) {
    throw new Error(`invalid conference ID: ${JSON.stringify(input.conferenceId)}`);
  }
  if (!input.creatorUserId.startsWith("@")) throw new Error("creatorUserId must be a Matrix user ID");
  const isMatrixMode = input.authMode === "matrix";
  if (isMatrixMode) {
    // Prosody decodes the conference name back to the room and checks membership there.
    if (input.roomId === undefined) throw new Error("matrix mode needs the room ID");
    if (conferenceIdForRoom(input.roomId) !== input.conferenceId) {
      throw new Error("in matrix mode the conference ID must be the base32 of the room ID");
    }
  }
  const auth = isMatrixMode ? OPENID_JWT_AUTH : undefined;

  const data: JitsiWidgetData = {
    conferenceId: input.conferenceId,
    roomName: input.roomName,
    isAudioOnly: input.isAudioOnly ?? false,
    isVideoChannel: false,
    domain: input.domain,
    ...(auth ? { auth } : {}),
  };
  return {
    type: WIDGET_EVENT_TYPE,
    stateKey: input.widgetId,
    content: {
      type: JITSI_WIDGET_TYPE,
      url: wrapperUrlWithConference(input.wrapperUrl ?? DEFAULT_JITSI_WRAPPER_URL, input.conferenceId, auth),
      name: input.name ?? "Jitsi",
      data,
      // Element falls back to the sender; naming the creator keeps it right when a bot sends for a person.
      creatorUserId: input.creatorUserId,
      // The widget API's default, written out so every reader agrees.
      waitForIframeLoad: true,
    },
  };
}

/** Removing a widget is the same state key with empty content. */
export function buildWidgetRemoval(widgetId: string): StateEventSpec<Record<string, never>> {
  return { type: WIDGET_EVENT_TYPE, stateKey: widgetId, content: {} };
}

export interface WidgetLayoutContent {
  widgets: Record<string, { container: "top" | "right" | "center"; index: number; width: number; height: number }>;
}

/**
 * Pins the widget to the top container (Element's app drawer), first and
 * full width. The event replaces the room's whole layout, so it names only
 * this widget; other widgets fall back to Element's defaults.
 */
export function buildWidgetLayout(
  widgetId: string,
  opts: { height?: number } = {},
): StateEventSpec<WidgetLayoutContent> {
  if (!WIDGET_ID.test(widgetId)) throw new Error(`invalid widget ID: ${JSON.stringify(widgetId)}`);
  const height = opts.height ?? 100;
  if (!Number.isInteger(height) || height < 0 || height > 100) throw new Error("height is a whole percentage 0-100");
  return {
    type: WIDGET_LAYOUT_EVENT_TYPE,
    stateKey: "",
    content: { widgets: { [widgetId]: { container: "top", index: 0, width: 100, height } } },
  };
}
