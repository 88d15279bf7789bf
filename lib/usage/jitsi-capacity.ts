/**
 * Jitsi capacity model: how many video bridges, how much bridge egress and how
 * much city-hall uplink a meeting needs under given Jitsi settings. Pure and
 * deterministic; every constant's public source is listed in bench/README.md
 * ("B9"). Bitrates are media payload rates; packet overhead is not modelled.
 */

/** Video heights Jitsi's simulcast layers use. */
export type Height = 180 | 360 | 720;

/** Jitsi settings that decide bandwidth and bridge count, each named after the setting it mirrors. */
export interface JitsiSettings {
  /** jicofo `bridge.max-bridge-participants`: above this, one conference is spread over several bridges. */
  maxBridgeParticipants: number;
  /** jvb `load-management.average-participant-stress`: stress one participant adds to a bridge. */
  averageParticipantStress: number;
  /** jicofo `bridge.stress-threshold`: a bridge at this stress takes no new participants. */
  stressThreshold: number;
  /** jvb `relay.enabled` (Octo): without relays one conference cannot span bridges. */
  relaysEnabled: boolean;
  /** jitsi-meet `channelLastN` (-1 = unlimited): video streams one receiver gets. */
  channelLastN: number;
  /** jitsi-meet `lastNLimits`: conference size → last-n cap (the largest key not above the size applies). */
  lastNLimits: Readonly<Record<number, number>>;
  /** jitsi-meet `resolution`: the highest simulcast layer a camera sends. */
  sendHeight: Height;
  /** jvb `cc.onstage-preferred-height-px`: height the on-stage speaker is received at. */
  onStageHeight: Height;
  /** jvb `cc.default-max-height-px`: height of every other (thumbnail) stream. */
  thumbnailHeight: Height;
  /** jitsi-meet `startVideoMuted`: participants after the Nth join with the camera off (null: off). */
  startVideoMuted: number | null;
  /** jitsi-meet `startAudioMuted`: participants after the Nth join with the microphone off (null: off). */
  startAudioMuted: number | null;
  /** jvb `loudest.route-loudest-only`: forward only the loudest speakers' audio. */
  routeLoudestOnly: boolean;
  /** jvb `loudest.num-loudest`. */
  numLoudest: number;
}

/** Sending bitrate of each simulcast layer, kbps (jitsi-meet config.js VP8 caps; handbook table). */
export const LAYER_KBPS: Readonly<Record<Height, number>> = { 180: 200, 360: 500, 720: 1500 };
const HEIGHTS: readonly Height[] = [180, 360, 720];
/** One Opus audio stream, kbps: the upper end of the 30–50 kbps range (an assumption, see README). */
export const AUDIO_KBPS = 50;

/** Jitsi as installed: jicofo, jvb and jitsi-meet reference defaults. */
export const JITSI_DEFAULTS: JitsiSettings = {
  maxBridgeParticipants: 80,
  averageParticipantStress: 0.01,
  stressThreshold: 0.8,
  relaysEnabled: false,
  channelLastN: -1,
  lastNLimits: {},
  sendHeight: 720,
  onStageHeight: 360,
  thumbnailHeight: 180,
  startVideoMuted: null,
  startAudioMuted: null,
  routeLoudestOnly: false,
  numLoudest: 3,
};

/**
 * The settings Stadtfunk documents for the city's Jitsi: Jitsi's defaults
 * plus relays (so a large meeting can span bridges), jitsi-meet's example
 * size-dependent last-n, start muted after the 10th participant, and only
 * the loudest speakers' audio forwarded.
 */
export const STADTFUNK_JITSI_SETTINGS: JitsiSettings = {
  ...JITSI_DEFAULTS,
  relaysEnabled: true,
  lastNLimits: { 5: 20, 30: 15, 50: 10, 70: 5, 90: 2 },
  startVideoMuted: 10,
  startAudioMuted: 10,
  routeLoudestOnly: true,
};

/** One conference; optionally some of its clients sit in the city hall behind one uplink. */
export interface ConferenceScenario {
  participants: number;
  /** Cameras switched on; defaults to everyone allowed by startVideoMuted. */
  camerasOn?: number;
  /** Microphones open; defaults to everyone allowed by startAudioMuted. */
  openMics?: number;
  /** City-hall clients (room systems, meeting-room screens): camera and microphone on, stage at full height. */
  cityHallRoomSystems?: number;
}

export interface ConferenceBudget {
  participants: number;
  lastN: number;
  camerasOn: number;
  openMics: number;
  /** Bridges this conference needs on its own. */
  bridges: number;
  /** False when the conference needs more than one bridge but relays are off: it overloads one bridge. */
  fitsOnBridges: boolean;
  /** Media a camera-on client sends (all simulcast layers) plus its audio, Mbps. */
  senderUpMbps: number;
  /** The most one participant receives, Mbps. */
  receiverDownMbps: number;
  /** Bridges → participants, Mbps. */
  endpointEgressMbps: number;
  /** Bridge → bridge relay traffic, Mbps (an upper bound: every selected stream relayed to every other bridge). */
  relayEgressMbps: number;
  /** endpointEgressMbps + relayEgressMbps. */
  bridgeEgressMbps: number;
  /** City-hall clients of this conference: their uplink and downlink, Mbps. */
  cityHallUpMbps: number;
  cityHallDownMbps: number;
}

const mbps = (kbps: number) => kbps / 1000;

/** The simulcast layers a camera sends: every layer up to its send height. */
export function simulcastKbps(sendHeight: Height): number {
  return HEIGHTS.filter((h) => h <= sendHeight).reduce((sum, h) => sum + LAYER_KBPS[h], 0);
}

/** Effective last-n for a conference size: channelLastN capped by lastNLimits (unlimited = Infinity). */
export function lastNFor(settings: JitsiSettings, participants: number): number {
  let limit = settings.channelLastN < 0 ? Number.POSITIVE_INFINITY : settings.channelLastN;
  const sizes = Object.keys(settings.lastNLimits).map(Number).sort((a, b) => a - b);
  const applicable = sizes.filter((s) => s <= participants).pop();
  if (applicable !== undefined) limit = Math.min(limit, settings.lastNLimits[applicable]!);
  return limit;
}

/** Bridges needed to keep `participants` under the stress threshold (ceil, robust to float noise). */
function bridgesByStress(settings: JitsiSettings, participants: number): number {
  const exact = (participants * settings.averageParticipantStress) / settings.stressThreshold;
  return Math.ceil(Number(exact.toFixed(9)));
}

/** Bridges one conference needs: split at max-bridge-participants, and kept under the stress threshold. */
export function bridgesFor(settings: JitsiSettings, participants: number): number {
  const bySplit = Math.ceil(participants / settings.maxBridgeParticipants);
  return Math.max(1, bySplit, bridgesByStress(settings, participants));
}

/** What one participant receives, kbps, given who else has camera and microphone on. */
function receiveKbps(settings: JitsiSettings, lastN: number, videoSenders: number, audioSenders: number, stage: Height) {
  videoSenders = Math.max(0, videoSenders);
  audioSenders = Math.max(0, audioSenders);
  const videos = Math.min(lastN, videoSenders);
  const stageHeight = Math.min(stage, settings.sendHeight) as Height;
  const video = videos > 0 ? LAYER_KBPS[stageHeight] + (videos - 1) * LAYER_KBPS[settings.thumbnailHeight] : 0;
  const audios = settings.routeLoudestOnly ? Math.min(settings.numLoudest, audioSenders) : audioSenders;
  return video + audios * AUDIO_KBPS;
}

function limitedBy(limit: number | null, participants: number): number {
  return limit === null ? participants : Math.min(limit, participants);
}

export function conferenceBudget(settings: JitsiSettings, scenario: ConferenceScenario): ConferenceBudget {
  const n = scenario.participants;
  if (!Number.isInteger(n) || n < 1) throw new Error(`participants must be a positive integer, got ${n}`);
  const roomSystems = Math.min(scenario.cityHallRoomSystems ?? 0, n);
  const camerasOn = Math.max(roomSystems, Math.min(n, scenario.camerasOn ?? limitedBy(settings.startVideoMuted, n)));
  const openMics = Math.max(roomSystems, Math.min(n, scenario.openMics ?? limitedBy(settings.startAudioMuted, n)));
  const lastN = lastNFor(settings, n);

  // Receivers with a camera on do not receive their own stream; the others see every camera up to last-n.
  const withCamera = receiveKbps(settings, lastN, camerasOn - 1, openMics - 1, settings.onStageHeight);
  const withoutCamera = receiveKbps(settings, lastN, camerasOn, openMics, settings.onStageHeight);
  const endpointEgress = camerasOn * withCamera + (n - camerasOn) * withoutCamera;

  const bridges = bridgesFor(settings, n);
  const usedBridges = settings.relaysEnabled ? bridges : 1;
  const selected = Math.min(lastN, camerasOn);
  const selectedKbps =
    selected * (LAYER_KBPS[settings.onStageHeight] + LAYER_KBPS[settings.thumbnailHeight]) +
    (settings.routeLoudestOnly ? Math.min(settings.numLoudest, openMics) : openMics) * AUDIO_KBPS;
  const relayEgress = (usedBridges - 1) * selectedKbps;

  const senderUp = simulcastKbps(settings.sendHeight) + AUDIO_KBPS;
  // A room system shows the speaker on a large screen: the stage at the full sent height.
  const roomSystemDown = receiveKbps(settings, lastN, camerasOn - 1, openMics - 1, 720);

  return {
    participants: n,
    lastN: Number.isFinite(lastN) ? lastN : -1,
    camerasOn,
    openMics,
    bridges,
    fitsOnBridges: bridges === 1 || settings.relaysEnabled,
    senderUpMbps: mbps(senderUp),
    receiverDownMbps: mbps(Math.max(withCamera, withoutCamera, roomSystems > 0 ? roomSystemDown : 0)),
    endpointEgressMbps: mbps(endpointEgress),
    relayEgressMbps: mbps(relayEgress),
    bridgeEgressMbps: mbps(endpointEgress + relayEgress),
    cityHallUpMbps: mbps(roomSystems * senderUp),
    cityHallDownMbps: mbps(roomSystems * roomSystemDown),
  };
}

export interface DeploymentBudget {
  conferences: ConferenceBudget[];
  participants: number;
  /** Bridges for all conferences at once: the largest conference's split, and the total stress. */
  bridges: number;
  bridgeEgressMbps: number;
  cityHallUpMbps: number;
  cityHallDownMbps: number;
}

/** Several conferences at the same time (e.g. 12 meetings, one city-hall room system in each). */
export function deploymentBudget(settings: JitsiSettings, scenarios: ConferenceScenario[]): DeploymentBudget {
  const conferences = scenarios.map((s) => conferenceBudget(settings, s));
  const participants = conferences.reduce((s, c) => s + c.participants, 0);
  const byStress = bridgesByStress(settings, participants);
  const total = (key: "bridgeEgressMbps" | "cityHallUpMbps" | "cityHallDownMbps") =>
    conferences.reduce((s, c) => s + c[key], 0);
  return {
    conferences,
    participants,
    bridges: Math.max(1, byStress, ...conferences.map((c) => c.bridges)),
    bridgeEgressMbps: total("bridgeEgressMbps"),
    cityHallUpMbps: total("cityHallUpMbps"),
    cityHallDownMbps: total("cityHallDownMbps"),
  };
}

/** The two scenarios the benchmark suite (B9) budgets, with their limits. */
export const B9_BUDGETS = {
  largeMeeting: { participants: 200, maxBridgeEgressMbps: 300, minBridges: 3 },
  concurrent: { conferences: 12, participantsEach: 20, roomSystemsEach: 1, maxCityHallUpMbps: 30, maxCityHallDownMbps: 50 },
} as const;

export function largeMeetingBudget(settings: JitsiSettings): ConferenceBudget {
  return conferenceBudget(settings, { participants: B9_BUDGETS.largeMeeting.participants });
}

export function concurrentConferencesBudget(settings: JitsiSettings): DeploymentBudget {
  const c = B9_BUDGETS.concurrent;
  return deploymentBudget(
    settings,
    Array.from({ length: c.conferences }, () => ({ participants: c.participantsEach, cityHallRoomSystems: c.roomSystemsEach })),
  );
}
