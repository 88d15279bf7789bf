import { encode } from "next-auth/jwt";
import { createPortalSession } from "../../lib/auth/session-store";
import { openDb } from "../../lib/db/client";
import { measureCpu, ownCpuMs, selfCpuMs, treeCpuMs, type CpuProbe } from "../core/cpu";
import { interleave, runLoad, runOpenLoop, type LoadResult } from "../core/load";
import { makeSeed, seedPortalData } from "../core/portal-seed";
import { sharedStack, type BenchStack } from "../core/stack";
import { percentile, round, roundedSpread, summariseRatios } from "../core/stats";
import type { Benchmark, BenchContext, BenchOptions, MeasuredRow } from "../core/types";

const TARGET = "throughput ratio dashboard/plain page >= 0.2 and dashboard >= 100 req/s at 50 sessions";
const TARGET_OPEN = "p95 <= 200 ms at 100 req/s offered by 50 sessions";
const OFFERED_RATE = 100;
/** A page of the same server through the same proxy and layout, without session or data. */
const PLAIN_PAGE = "/kein-zugang";
/** next-auth's cookie name on plain http (the stack's portal URL). */
const SESSION_COOKIE = "next-auth.session-token";

/**
 * Signed-in sessions as a sign-in leaves them: people and rooms in the
 * stack's database, a portal session each (createPortalSession), and the
 * next-auth cookie sealed with the stack's AUTH_SECRET around its id.
 */
async function mintSessions(stack: BenchStack, count: number): Promise<string[]> {
  const handle = openDb(stack.databaseUrl, { max: 2 });
  try {
    const seed = makeSeed(count, { sessions: false });
    const side = await seedPortalData(handle, seed);
    const secret = stack.secrets.AUTH_SECRET;
    if (!secret) throw new Error("the stack's secrets.env has no AUTH_SECRET");
    const cookies: string[] = [];
    for (const person of side.people) {
      const sid = await createPortalSession(handle.db, {
        personId: person.id,
        idpSessionId: null,
        idTokenEnc: null,
        refreshTokenEnc: null,
        now: new Date(),
        maxHours: 12,
      });
      cookies.push(`${SESSION_COOKIE}=${await encode({ token: { sid }, secret })}`);
    }
    return cookies;
  } finally {
    await handle.close();
  }
}

/**
 * The stack's signed-in sessions, minted once per run: B5 and B8 share the
 * stack, and seeding the same people twice would collide on their Matrix ids.
 */
export function sharedSessions(ctx: BenchContext, stack: BenchStack, count: number): Promise<string[]> {
  return ctx.shared(`dashboard-sessions-${count}`, async () => ({ value: await mintSessions(stack, count), stop: async () => {} }));
}

export async function get(url: string, cookie: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { headers: { cookie }, redirect: "manual", signal: AbortSignal.timeout(30_000) });
  return { status: res.status, body: await res.text() };
}

function wave(url: string, cookies: string[], count: number, concurrency: number): Promise<LoadResult> {
  return runLoad(count, concurrency, async (i) => {
    const res = await get(url, cookies[i % cookies.length]!);
    return res.status === 200 ? undefined : { error: res.status === 429 ? "429" : `HTTP ${res.status}` };
  });
}

function openWave(url: string, cookies: string[], rate: number, count: number): Promise<LoadResult> {
  return runOpenLoop(rate, count, async (i) => {
    const res = await get(url, cookies[i % cookies.length]!);
    return res.status === 200 ? undefined : { error: res.status === 429 ? "429" : `HTTP ${res.status}` };
  });
}

const throughput = (r: LoadResult) => r.latenciesMs.length / (r.wallMs / 1000);

/** 100 requests/s offered for 10 s, dashboard and plain page interleaved: the latency people see at that load. */
async function offeredLoad(dashboard: string, plain: string, cookies: string[], opts: BenchOptions): Promise<MeasuredRow> {
  const rate = opts.smoke ? 20 : OFFERED_RATE;
  const count = opts.smoke ? 20 : OFFERED_RATE * 10;
  const pairs = opts.smoke ? 1 : 3;
  const runs = await interleave(
    pairs,
    0,
    () => openWave(dashboard, cookies, rate, count),
    () => openWave(plain, cookies, rate, count),
  );
  const ratios = runs.a.map((a, i) => percentile(a.latenciesMs, 95) / percentile(runs.b[i]!.latenciesMs, 95));
  const { ratio, spread } = summariseRatios(ratios);
  const latA = runs.a.flatMap((r) => r.latenciesMs);
  const latB = runs.b.flatMap((r) => r.latenciesMs);
  const p95 = percentile(latA, 95);
  const errors = [...runs.a, ...runs.b].reduce((s, r) => s + r.errorsOther + r.errors429, 0);
  return {
    name: `B5 dashboard at ${rate} req/s offered by ${cookies.length} sessions, p95 vs plain page`,
    target: TARGET_OPEN,
    ratio: round(ratio),
    ratio_spread: roundedSpread(spread),
    p50_ms: round(percentile(latA, 50)),
    p95_ms: round(p95),
    baseline_p50_ms: round(percentile(latB, 50)),
    baseline_p95_ms: round(percentile(latB, 95)),
    n: latA.length,
    pairs,
    errors_429: runs.a.reduce((s, r) => s + r.errors429, 0),
    errors_other: runs.a.reduce((s, r) => s + r.errorsOther, 0),
    homeserver_calls_per_op: 0,
    ok: errors === 0 && p95 <= 200,
    figures: { offered_req_s: rate, seconds_per_wave: count / rate },
  };
}

export const b5Dashboard: Benchmark = {
  id: "B5",
  name: "Dashboard under 50 signed-in sessions",
  target: `${TARGET}; ${TARGET_OPEN}`,
  description:
    "The whole stack as `npm start` runs it (PGlite, Synapse, bots, `next start`). 50 people with 4 meetings " +
    "each (about 24 listed per person), each with a portal session minted in the database and its next-auth " +
    `cookie. A = the dashboard (/) at concurrency 50, one session per client; B = ${PLAIN_PAGE}, a page of the ` +
    "same server, proxy and layout without session or data. 20 interleaved repetitions of 200 requests; " +
    "ratio = requests/s A ÷ B. Then 100 requests/s offered for 10 s (open loop, 3 interleaved pairs): " +
    "p95 as people see it at that load. Not yet built: the room page (it checks membership on the homeserver, so it " +
    "needs rooms made through the homeserver) and the 10/200-session variants.",
  async run(ctx: BenchContext, opts: BenchOptions) {
    const stack = await sharedStack(ctx);
    const sessions = opts.smoke ? 5 : 50;
    const concurrency = sessions;
    const perRep = opts.smoke ? 10 : 200;
    const reps = opts.smoke ? 2 : 20;
    ctx.log(`B5 minting ${sessions} signed-in sessions`);
    const cookies = await sharedSessions(ctx, stack, sessions);
    const dashboard = `${stack.portalUrl}/`;
    const plain = `${stack.portalUrl}${PLAIN_PAGE}`;
    const probe = await get(dashboard, cookies[0]!);
    if (probe.status !== 200 || !probe.body.includes("matrix-user-id")) {
      throw new Error(`the minted session does not sign in: GET / answered ${probe.status} without the signed-in dashboard`);
    }

    ctx.log(`B5 ${reps} interleaved pairs of ${perRep} requests at concurrency ${concurrency}`);
    const probes: CpuProbe = {
      portal: () => (stack.portalPid ? treeCpuMs(stack.portalPid) : 0),
      database: () => (stack.orchestratorPid ? ownCpuMs(stack.orchestratorPid) : 0),
      client: selfCpuMs,
    };
    const measured = await interleave(
      reps,
      1,
      () => measureCpu(probes, () => wave(dashboard, cookies, perRep, concurrency)),
      () => measureCpu(probes, () => wave(plain, cookies, perRep, concurrency)),
    );
    const runs = { a: measured.a.map((m) => m.result), b: measured.b.map((m) => m.result) };
    // Where a dashboard request's extra cost goes: CPU per request in the portal and in the database.
    const cpuPerRequest = (side: typeof measured.a, key: string) =>
      round(side.reduce((s, m) => s + m.cpuMs[key]!, 0) / (perRep * reps), 2);
    const ratios = runs.a.map((a, i) => throughput(a) / throughput(runs.b[i]!));
    const { ratio, spread } = summariseRatios(ratios);
    const latA = runs.a.flatMap((r) => r.latenciesMs);
    const latB = runs.b.flatMap((r) => r.latenciesMs);
    const rps = percentile(runs.a.map(throughput), 50);
    const p95 = percentile(latA, 95);
    const errorsA = runs.a.reduce((s, r) => s + r.errorsOther + r.errors429, 0);
    const errorsB = runs.b.reduce((s, r) => s + r.errorsOther + r.errors429, 0);
    const samples = [...runs.a, ...runs.b].flatMap((r) => r.failureSamples).slice(0, 2);
    const rows: MeasuredRow[] = [
      {
        name: `B5 dashboard (session + room list), ${sessions} sessions in a closed loop, throughput vs plain page`,
        target: TARGET,
        ratio: round(ratio),
        ratio_spread: roundedSpread(spread),
        p50_ms: round(percentile(latA, 50)),
        p95_ms: round(p95),
        baseline_p50_ms: round(percentile(latB, 50)),
        baseline_p95_ms: round(percentile(latB, 95)),
        n: latA.length,
        pairs: reps,
        errors_429: runs.a.reduce((s, r) => s + r.errors429, 0),
        errors_other: runs.a.reduce((s, r) => s + r.errorsOther, 0),
        homeserver_calls_per_op: 0,
        ok: errorsA === 0 && errorsB === 0 && ratio >= 0.2 && rps >= 100,
        figures: {
          concurrency,
          dashboard_req_s: round(rps, 1),
          plain_page_req_s: round(percentile(runs.b.map(throughput), 50), 1),
          portal_cpu_ms_per_request: cpuPerRequest(measured.a, "portal"),
          portal_cpu_ms_per_request_plain: cpuPerRequest(measured.b, "portal"),
          database_cpu_ms_per_request: cpuPerRequest(measured.a, "database"),
          database_cpu_ms_per_request_plain: cpuPerRequest(measured.b, "database"),
        },
        ...(samples.length ? { notes: `failures: ${samples.join("; ")}` } : {}),
      },
    ];
    ctx.log(`B5 offered load: ${opts.smoke ? 20 : OFFERED_RATE} req/s`);
    rows.push(await offeredLoad(dashboard, plain, cookies, opts));
    rows.push({ name: "B5 room page under 50 sessions", target: TARGET, status: "not yet built", ok: null });
    return { rows };
  },
};
