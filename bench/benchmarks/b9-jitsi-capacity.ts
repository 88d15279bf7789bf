import {
  B9_BUDGETS,
  JITSI_DEFAULTS,
  STADTFUNK_JITSI_SETTINGS,
  concurrentConferencesBudget,
  largeMeetingBudget,
  type JitsiSettings,
} from "../../lib/usage/jitsi-capacity";
import { round } from "../core/stats";
import type { Benchmark, MeasuredRow } from "../core/types";

const LARGE = B9_BUDGETS.largeMeeting;
const CONCURRENT = B9_BUDGETS.concurrent;
const LARGE_TARGET = `bridge egress <= ${LARGE.maxBridgeEgressMbps} Mbps on >= ${LARGE.minBridges} bridges (relays on)`;
const CONCURRENT_TARGET = `city-hall line <= ${CONCURRENT.maxCityHallUpMbps} Mbps up / <= ${CONCURRENT.maxCityHallDownMbps} Mbps down`;

/** Model rows carry no latencies: ratio = the figure over its budget (<= 1 fits). */
const modelRow = (row: MeasuredRow): MeasuredRow => ({
  status: "modelled",
  p50_ms: null,
  p95_ms: null,
  n: null,
  pairs: null,
  errors_429: null,
  errors_other: null,
  homeserver_calls_per_op: null,
  ...row,
});

function rowsFor(label: string, settings: JitsiSettings, judged: boolean): MeasuredRow[] {
  const large = largeMeetingBudget(settings);
  const many = concurrentConferencesBudget(settings);
  const largeRatio = large.bridgeEgressMbps / LARGE.maxBridgeEgressMbps;
  const upRatio = many.cityHallUpMbps / CONCURRENT.maxCityHallUpMbps;
  const downRatio = many.cityHallDownMbps / CONCURRENT.maxCityHallDownMbps;
  return [
    modelRow({
      name: `B9 ${LARGE.participants}-person meeting, ${label}`,
      target: LARGE_TARGET,
      ratio: round(largeRatio),
      ok: judged ? largeRatio <= 1 && large.bridges >= LARGE.minBridges && large.fitsOnBridges : null,
      figures: {
        bridges: large.bridges,
        fits_on_bridges: large.fitsOnBridges ? 1 : 0,
        last_n: large.lastN,
        cameras_on: large.camerasOn,
        bridge_egress_mbps: round(large.bridgeEgressMbps, 1),
        relay_egress_mbps: round(large.relayEgressMbps, 1),
        receiver_down_mbps: round(large.receiverDownMbps, 2),
      },
    }),
    modelRow({
      name: `B9 ${CONCURRENT.conferences} concurrent conferences × ${CONCURRENT.participantsEach}, one city-hall room system each, ${label}`,
      target: CONCURRENT_TARGET,
      ratio: round(Math.max(upRatio, downRatio)),
      ok: judged ? upRatio <= 1 && downRatio <= 1 : null,
      figures: {
        bridges: many.bridges,
        bridge_egress_mbps: round(many.bridgeEgressMbps, 1),
        city_hall_up_mbps: round(many.cityHallUpMbps, 1),
        city_hall_down_mbps: round(many.cityHallDownMbps, 1),
      },
    }),
  ];
}

export const b9JitsiCapacity: Benchmark = {
  id: "B9",
  name: "Jitsi capacity model",
  target: `${LARGE_TARGET}; ${CONCURRENT_TARGET}`,
  description:
    "Pure model (lib/usage/jitsi-capacity.ts) from the Jitsi settings Stadtfunk documents " +
    "(STADTFUNK_JITSI_SETTINGS) and, for comparison, Jitsi's own defaults; every constant's source is in " +
    "bench/README.md. Ratio = figure / budget. The optional browser join-time measurement against a real " +
    "Jitsi (JITSI_URL) is not yet built: no Jitsi server can run on the project's machines.",
  async run() {
    return {
      rows: [
        ...rowsFor("Stadtfunk settings", STADTFUNK_JITSI_SETTINGS, true),
        ...rowsFor("Jitsi defaults (reference)", JITSI_DEFAULTS, false),
      ],
    };
  },
};
