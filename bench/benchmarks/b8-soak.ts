import { randomUUID } from "node:crypto";
import os from "node:os";
import { people, type Person } from "../../drizzle/schema";
import { openDb, type Db } from "../../lib/db/client";
import type { GuestDeps } from "../../lib/guests/guest-deps";
import { createGuestLink } from "../../lib/guests/guest-links";
import { createGuestInputFor, secretOf } from "../../lib/guests/testing/guest-inputs";
import { currentUsageRules } from "../../lib/guests/usage-rules";
import { registerUser } from "../../lib/matrix/admin-register";
import { createServiceClient, type ServiceClient } from "../../lib/matrix/service-client";
import { measureCpu, ownCpuMs, pidListeningOn, selfCpuMs, treeCpuMs, type CpuProbe } from "../core/cpu";
import { runLoad, runOpenLoop, type LoadResult, type Outcome } from "../core/load";
import { sharedStack, type BenchStack } from "../core/stack";
import { percentile, round } from "../core/stats";
import type { Benchmark, BenchContext, BenchOptions, MeasuredRow } from "../core/types";
import { admitGuest, asOutcome, guestDepsFor, newMeetingFor } from "./b2-guest-admission";
import { get, sharedSessions } from "./b5-dashboard";

const TARGET = "p95 under load <= 3 × idle p95";
/** How often each signed-in person reloads the dashboard during the soak. */
const DASHBOARD_RELOAD_S = 5;
/** Guests arrive within this share of a wave, so every meeting is full before the next wave starts. */
const ARRIVAL_SHARE = 0.75;

interface Size {
  meetings: number;
  guestsPerMeeting: number;
  sessions: number;
  durationS: number;
  /** A wave: `meetings` created at once, then their guests arrive within the wave (2 minutes in full). */
  waveS: number;
  /** Sequential operations per kind in each idle measurement (before and after the soak). */
  idle: { creates: number; joins: number; dashboards: number };
}

const FULL: Size = { meetings: 12, guestsPerMeeting: 20, sessions: 50, durationS: 600, waveS: 120, idle: { creates: 12, joins: 20, dashboards: 100 } };
const SMOKE: Size = { meetings: 2, guestsPerMeeting: 3, sessions: 5, durationS: 20, waveS: 20, idle: { creates: 2, joins: 3, dashboards: 10 } };

interface Setup {
  stack: BenchStack;
  db: Db;
  deps: GuestDeps;
  service: ServiceClient;
  organisers: Person[];
  rulesVersion: number;
  cookies: string[];
}

interface Samples {
  create: LoadResult[];
  join: LoadResult[];
  dashboard: LoadResult[];
}

async function prepare(ctx: BenchContext, size: Size): Promise<Setup> {
  const stack = await sharedStack(ctx);
  const { config } = stack;
  const handle = openDb(stack.databaseUrl, { max: 20 });
  ctx.onCleanup(() => handle.close());
  const run = randomUUID().slice(0, 6);
  // One organiser per concurrent meeting, with a real account (the meeting invites them).
  const accounts = await Promise.all(
    Array.from({ length: size.meetings }, (_, i) =>
      registerUser({ homeserverUrl: config.matrix.homeserverUrl, sharedSecret: config.matrix.registrationSharedSecret, username: `b8-${run}-o${i}`, admin: false }),
    ),
  );
  const organisers = await handle.db
    .insert(people)
    .values(accounts.map((a, i) => ({ subject: `b8-${run}-o${i}`, displayName: `Organisation ${i}`, username: `b8-${run}-o${i}`, matrixUserId: a.user_id })))
    .returning();
  ctx.log(`B8 minting ${size.sessions} signed-in sessions`);
  const cookies = await sharedSessions(ctx, stack, size.sessions);
  const service = createServiceClient(config);
  return {
    stack,
    db: handle.db,
    deps: guestDepsFor(config, handle.db, service),
    service,
    organisers,
    rulesVersion: (await currentUsageRules(handle.db)).version,
    cookies,
  };
}

const timedCreate = (s: Setup, organiser: Person) => async (): Promise<Outcome | undefined> => {
  try {
    await newMeetingFor({ db: s.db, service: s.service, log: s.deps.log }, s.stack.config, organiser);
    return undefined;
  } catch (err) {
    return asOutcome(err);
  }
};

/** A meeting with one guest link for `uses` guests (set-up, not timed). */
async function meetingWithLink(s: Setup, organiser: Person, uses: number): Promise<string> {
  const roomId = await newMeetingFor({ db: s.db, service: s.service, log: s.deps.log }, s.stack.config, organiser);
  const { url } = await createGuestLink(s.deps, { person: organiser, matrixUserId: organiser.matrixUserId! }, roomId, createGuestInputFor({ maxUses: uses }));
  return secretOf(url);
}

async function dashboardOnce(s: Setup, i: number): Promise<Outcome | undefined> {
  const res = await get(`${s.stack.portalUrl}/`, s.cookies[i % s.cookies.length]!);
  return res.status === 200 ? undefined : { error: res.status === 429 ? "429" : `HTTP ${res.status}` };
}

/** Each kind on its own, one operation at a time, on the otherwise idle stack. */
async function idle(s: Setup, size: Size, into: Samples): Promise<void> {
  into.create.push(await runLoad(size.idle.creates, 1, () => timedCreate(s, s.organisers[0]!)()));
  const secret = await meetingWithLink(s, s.organisers[0]!, size.idle.joins);
  into.join.push(await runLoad(size.idle.joins, 1, (i) => admitGuest(s.deps, secret, `Ruhig ${i}`, s.rulesVersion)));
  into.dashboard.push(await runLoad(size.idle.dashboards, 1, (i) => dashboardOnce(s, i)));
}

/**
 * One wave: `meetings` created at once (each creation timed), then each
 * meeting's guests arrive at planned times spread over the wave (open loop:
 * a guest's latency counts from the planned arrival, so a slow stack is not
 * flattered). Returns when every guest of the wave is in or refused.
 */
async function wave(s: Setup, size: Size, w: number): Promise<{ create: LoadResult; join: LoadResult; fullMeetingS: number[] }> {
  const create = await runLoad(size.meetings, size.meetings, (m) => timedCreate(s, s.organisers[m]!)());
  const secrets = await Promise.all(s.organisers.slice(0, size.meetings).map((o) => meetingWithLink(s, o, size.guestsPerMeeting)));
  const windowMs = size.waveS * 1000 * ARRIVAL_SHARE;
  const started = performance.now();
  const latenciesMs: number[] = [];
  const failures: string[] = [];
  let errors429 = 0;
  let errorsOther = 0;
  const fullMeetingS = await Promise.all(
    secrets.map(async (secret, m) => {
      await Promise.all(
        Array.from({ length: size.guestsPerMeeting }, async (_, g) => {
          const planned = started + ((g + Math.random()) * windowMs) / size.guestsPerMeeting;
          await new Promise((r) => setTimeout(r, Math.max(0, planned - performance.now())));
          const outcome = await admitGuest(s.deps, secret, `Gast ${w}-${m}-${g}`, s.rulesVersion);
          latenciesMs.push(performance.now() - planned);
          if (outcome?.error === "429") errors429++;
          else if (outcome?.error) {
            errorsOther++;
            if (failures.length < 3) failures.push(outcome.error);
          }
        }),
      );
      return (performance.now() - started) / 1000;
    }),
  );
  return { create, join: { latenciesMs, wallMs: performance.now() - started, errors429, errorsOther, failureSamples: failures }, fullMeetingS };
}

function row(kind: string, idleRuns: LoadResult[], loadRuns: LoadResult[], extra: Partial<MeasuredRow> = {}): MeasuredRow {
  const idleLat = idleRuns.flatMap((r) => r.latenciesMs);
  const loadLat = loadRuns.flatMap((r) => r.latenciesMs);
  const idleP95 = percentile(idleLat, 95);
  const loadP95 = percentile(loadLat, 95);
  const ratio = loadP95 / idleP95;
  const errors429 = loadRuns.reduce((sum, r) => sum + r.errors429, 0);
  const errorsOther = loadRuns.reduce((sum, r) => sum + r.errorsOther, 0);
  const idleErrors = idleRuns.reduce((sum, r) => sum + r.errors429 + r.errorsOther, 0);
  const samples = [...loadRuns, ...idleRuns].flatMap((r) => r.failureSamples).slice(0, 2);
  return {
    name: `B8 soak: ${kind}, p95 under load vs idle`,
    target: TARGET,
    ratio: round(ratio),
    p50_ms: round(percentile(loadLat, 50)),
    p95_ms: round(loadP95),
    baseline_p50_ms: round(percentile(idleLat, 50)),
    baseline_p95_ms: round(idleP95),
    n: loadLat.length,
    pairs: 1,
    errors_429: errors429,
    errors_other: errorsOther,
    ok: ratio <= 3 && errors429 === 0 && errorsOther === 0 && idleErrors === 0,
    ...extra,
    ...(samples.length ? { notes: `failures: ${samples.join("; ")}` } : {}),
  };
}

export const b8Soak: Benchmark = {
  id: "B8",
  name: "Soak: 12 meetings at once",
  target: TARGET,
  description:
    "The whole stack as `npm start` runs it (PGlite, Synapse with the shipped limits and guest module, bots, portal). " +
    "Idle: meetings created, guests admitted and dashboards loaded one at a time, before and after the soak. " +
    "Soak (10 minutes): every 2 minutes a wave of 12 meetings created at once (createManagedRoom, timed), each with " +
    "one guest link; 20 guests per meeting arrive at planned times within 90 s and go through the landing page's use " +
    "case (redeemGuestLink: register, name, invite, join; latency from the planned arrival); meanwhile 50 signed-in " +
    "people reload the dashboard every 5 s (open loop), and the stack's bots handle every join. p95 under load ÷ idle " +
    "p95 per kind; CPU per party over the soak. Smoke: 2 meetings × 3 guests, 5 sessions, 20 s.",
  async run(ctx: BenchContext, opts: BenchOptions) {
    const size = opts.smoke ? SMOKE : FULL;
    const s = await prepare(ctx, size);
    const idleSamples: Samples = { create: [], join: [], dashboard: [] };
    ctx.log("B8 idle figures (one operation at a time)");
    await idle(s, size, idleSamples);

    const waves = Math.max(1, Math.floor(size.durationS / size.waveS));
    ctx.log(`B8 soak: ${waves} waves of ${size.meetings} meetings × ${size.guestsPerMeeting} guests, ${size.sessions} dashboards, ${size.durationS} s`);
    const synapsePid = pidListeningOn(Number(new URL(s.stack.homeserverUrl).port));
    const botsPid = pidListeningOn(s.stack.config.appservice.port);
    const probes: CpuProbe = {
      portal: () => (s.stack.portalPid ? treeCpuMs(s.stack.portalPid) : 0),
      database: () => (s.stack.orchestratorPid ? ownCpuMs(s.stack.orchestratorPid) : 0),
      homeserver: () => (synapsePid ? treeCpuMs(synapsePid) : 0),
      bots: () => (botsPid ? ownCpuMs(botsPid) : 0),
      client: selfCpuMs,
    };
    const loadBefore = os.loadavg()[0]!;
    const soakStarted = performance.now();
    const { result: soak, cpuMs } = await measureCpu(probes, async () => {
      const rate = size.sessions / DASHBOARD_RELOAD_S;
      const dashboards = runOpenLoop(rate, Math.round(rate * size.durationS), (i) => dashboardOnce(s, i));
      const waveRuns = Promise.all(
        Array.from({ length: waves }, async (_, w) => {
          await new Promise((r) => setTimeout(r, w * size.waveS * 1000));
          return wave(s, size, w);
        }),
      );
      return { dashboard: await dashboards, waves: await waveRuns };
    });
    const soakS = (performance.now() - soakStarted) / 1000;
    const loadAfter = os.loadavg()[0]!;
    ctx.log(`B8 soak done in ${soakS.toFixed(0)} s; idle figures again`);
    await idle(s, size, idleSamples);

    const cpu = Object.fromEntries(Object.entries(cpuMs).map(([party, ms]) => [`cpu_s_${party}`, round(ms / 1000, 1)]));
    const guests = soak.waves.reduce((sum, w) => sum + w.join.latenciesMs.length, 0);
    const common = {
      soak_s: round(soakS),
      meetings_created: waves * size.meetings,
      guests_admitted: guests,
      dashboard_requests: soak.dashboard.latenciesMs.length,
      load_average_1m_before: round(loadBefore, 2),
      load_average_1m_after: round(loadAfter, 2),
      ...cpu,
    };
    return {
      rows: [
        row(`${size.meetings} meetings created at once`, idleSamples.create, soak.waves.map((w) => w.create), {
          homeserver_calls_per_op: 1,
          // The soak's totals, load average and CPU per party sit on this row only.
          figures: common,
        }),
        row(`guests admitted by invite link (${size.guestsPerMeeting} per meeting)`, idleSamples.join, soak.waves.map((w) => w.join), {
          homeserver_calls_per_op: 4,
          figures: { soak_s: common.soak_s, guests_admitted: guests, slowest_meeting_full_s: round(Math.max(...soak.waves.flatMap((w) => w.fullMeetingS)), 1), arrival_window_s: round(size.waveS * ARRIVAL_SHARE) },
        }),
        row(`dashboard, ${size.sessions} sessions reloading every ${DASHBOARD_RELOAD_S} s`, idleSamples.dashboard, [soak.dashboard], {
          homeserver_calls_per_op: 0,
          figures: { soak_s: common.soak_s, dashboard_requests: common.dashboard_requests, offered_req_s: size.sessions / DASHBOARD_RELOAD_S },
        }),
      ],
    };
  },
};
