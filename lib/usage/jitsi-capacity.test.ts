import { describe, expect, it } from "vitest";
import {
  AUDIO_KBPS,
  B9_BUDGETS,
  JITSI_DEFAULTS,
  LAYER_KBPS,
  STADTFUNK_JITSI_SETTINGS,
  bridgesFor,
  concurrentConferencesBudget,
  conferenceBudget,
  deploymentBudget,
  largeMeetingBudget,
  lastNFor,
  simulcastKbps,
} from "./jitsi-capacity";

describe("Jitsi capacity model: constants", () => {
  it("uses jitsi-meet's simulcast caps and the handbook's bandwidth table", () => {
    expect(LAYER_KBPS).toEqual({ 180: 200, 360: 500, 720: 1500 });
    expect(AUDIO_KBPS).toBe(50);
    expect(simulcastKbps(720)).toBe(2200);
    expect(simulcastKbps(360)).toBe(700);
    expect(simulcastKbps(180)).toBe(200);
  });

  it("mirrors the jicofo and videobridge defaults", () => {
    expect(JITSI_DEFAULTS).toMatchObject({
      maxBridgeParticipants: 80,
      averageParticipantStress: 0.01,
      stressThreshold: 0.8,
      relaysEnabled: false,
      channelLastN: -1,
      onStageHeight: 360,
      thumbnailHeight: 180,
      routeLoudestOnly: false,
      numLoudest: 3,
    });
  });
});

describe("Jitsi capacity model: building blocks", () => {
  it.each([
    [1, 1],
    [80, 1],
    [81, 2],
    [160, 2],
    [200, 3],
    [240, 3],
    [241, 4],
  ])("%i participants need %i bridge(s) under the defaults", (participants, bridges) => {
    expect(bridgesFor(JITSI_DEFAULTS, participants)).toBe(bridges);
  });

  it.each([
    [4, Number.POSITIVE_INFINITY],
    [5, 20],
    [29, 20],
    [30, 15],
    [50, 10],
    [89, 5],
    [90, 2],
    [200, 2],
  ])("applies jitsi-meet's example last-n limits: %i participants → last-n %s", (participants, lastN) => {
    expect(lastNFor(STADTFUNK_JITSI_SETTINGS, participants)).toBe(lastN);
  });

  it("treats channelLastN -1 without limits as unlimited", () => {
    expect(lastNFor(JITSI_DEFAULTS, 200)).toBe(Number.POSITIVE_INFINITY);
    expect(conferenceBudget(JITSI_DEFAULTS, { participants: 3 }).lastN).toBe(-1);
  });

  it("rejects a conference without participants", () => {
    expect(() => conferenceBudget(JITSI_DEFAULTS, { participants: 0 })).toThrow(/positive integer/);
  });
});

describe("Jitsi capacity model: the worked numbers of the performance anchors", () => {
  it("200 people, every camera on, last-n 20, audio left out: about 860 Mbps bridge egress", () => {
    const b = conferenceBudget({ ...JITSI_DEFAULTS, channelLastN: 20, relaysEnabled: true }, { participants: 200, openMics: 0 });
    expect(b.endpointEgressMbps).toBeCloseTo(860, 6);
    expect(b.bridges).toBe(3);
  });

  it("200 people, last-n 5, ten cameras, audio left out: about 260 Mbps", () => {
    const b = conferenceBudget({ ...JITSI_DEFAULTS, channelLastN: 5 }, { participants: 200, camerasOn: 10, openMics: 0 });
    expect(b.endpointEgressMbps).toBeCloseTo(260, 6);
  });
});

describe("Jitsi capacity model: B9 budgets", () => {
  it("a 200-person meeting under Stadtfunk's settings stays within the bridge budget on at least 3 bridges", () => {
    const b = largeMeetingBudget(STADTFUNK_JITSI_SETTINGS);
    expect(b.bridges).toBeGreaterThanOrEqual(B9_BUDGETS.largeMeeting.minBridges);
    expect(b.fitsOnBridges).toBe(true);
    expect(b.bridgeEgressMbps).toBeLessThanOrEqual(B9_BUDGETS.largeMeeting.maxBridgeEgressMbps);
    expect(b.relayEgressMbps).toBeGreaterThan(0);
  });

  it("the same meeting under Jitsi's defaults exceeds it, and cannot be split without relays", () => {
    const b = largeMeetingBudget(JITSI_DEFAULTS);
    expect(b.bridgeEgressMbps).toBeGreaterThan(B9_BUDGETS.largeMeeting.maxBridgeEgressMbps);
    expect(b.fitsOnBridges).toBe(false);
  });

  it("12 concurrent conferences with one city-hall room system each fit the city hall's line", () => {
    const d = concurrentConferencesBudget(STADTFUNK_JITSI_SETTINGS);
    expect(d.conferences).toHaveLength(12);
    expect(d.cityHallUpMbps).toBeLessThanOrEqual(B9_BUDGETS.concurrent.maxCityHallUpMbps);
    expect(d.cityHallDownMbps).toBeLessThanOrEqual(B9_BUDGETS.concurrent.maxCityHallDownMbps);
    expect(d.bridges).toBe(3);
  });

  it("under Jitsi's defaults the city hall's downlink is exceeded", () => {
    const d = concurrentConferencesBudget(JITSI_DEFAULTS);
    expect(d.cityHallDownMbps).toBeGreaterThan(B9_BUDGETS.concurrent.maxCityHallDownMbps);
  });
});

describe("Jitsi capacity model: properties", () => {
  it("never needs less when more people join", () => {
    let previous = conferenceBudget(STADTFUNK_JITSI_SETTINGS, { participants: 1 });
    for (let n = 2; n <= 300; n++) {
      const next = conferenceBudget(STADTFUNK_JITSI_SETTINGS, { participants: n });
      expect(next.bridges).toBeGreaterThanOrEqual(previous.bridges);
      previous = next;
    }
  });

  it("adds up conferences and counts bridges for the total stress", () => {
    const d = deploymentBudget(JITSI_DEFAULTS, [{ participants: 50 }, { participants: 50 }]);
    expect(d.participants).toBe(100);
    expect(d.bridges).toBe(2);
    expect(d.bridgeEgressMbps).toBeCloseTo(2 * d.conferences[0]!.bridgeEgressMbps, 9);
  });

  it("counts a room system's camera and microphone even after start-muted applies", () => {
    const b = conferenceBudget({ ...STADTFUNK_JITSI_SETTINGS, startVideoMuted: 0, startAudioMuted: 0 }, {
      participants: 20,
      cityHallRoomSystems: 1,
    });
    expect(b.camerasOn).toBe(1);
    expect(b.openMics).toBe(1);
    expect(b.cityHallUpMbps).toBeCloseTo((2200 + 50) / 1000, 9);
  });
});
