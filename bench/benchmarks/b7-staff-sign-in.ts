import { randomBytes } from "node:crypto";
import { registerUser } from "../../lib/matrix/admin-register";
import { interleave, runLoad, type LoadResult, type Outcome } from "../core/load";
import { percentile, round, roundedSpread, summariseRatios } from "../core/stats";
import { sharedSynapse, type BenchSynapse } from "../core/synapse";
import type { Benchmark, BenchContext, BenchOptions, MeasuredRow } from "../core/types";

const TARGET = "wall-time ratio shipped/unlimited <= 1.1, zero 429s";
/** Staff sign in from one city-hall address; each repetition is a fresh address, as each morning is. */
const addressFor = (pair: number) => `10.${pair < 0 ? 200 : 100}.${Math.abs(pair) % 250}.1`;

interface Staff {
  usernames: string[];
  password: string;
}

async function registerStaff(hs: BenchSynapse, staff: Staff): Promise<void> {
  const result = await runLoad(staff.usernames.length, 4, async (i) => {
    await registerUser({
      homeserverUrl: hs.url,
      sharedSecret: hs.registrationSharedSecret,
      username: staff.usernames[i]!,
      password: staff.password,
      admin: false,
    });
  });
  if (result.errorsOther > 0) {
    throw new Error(`registering staff on the ${hs.profile} homeserver failed: ${result.failureSamples.join("; ")}`);
  }
}

/** One password login, exactly what a client sends; a 429 is counted, not retried. */
async function login(hs: BenchSynapse, user: string, password: string, address: string): Promise<Outcome> {
  const res = await fetch(`${hs.url}/_matrix/client/v3/login`, {
    method: "POST",
    // The homeserver's listener trusts X-Forwarded-For (it sits behind the city's reverse proxy).
    headers: { "content-type": "application/json", "x-forwarded-for": address },
    body: JSON.stringify({
      type: "m.login.password",
      identifier: { type: "m.id.user", user },
      password,
      initial_device_display_name: "bench",
    }),
    signal: AbortSignal.timeout(120_000),
  });
  const body = (await res.json().catch(() => ({}))) as { access_token?: unknown; errcode?: string };
  if (res.status === 429 || body.errcode === "M_LIMIT_EXCEEDED") return { error: "429" };
  if (!res.ok) return { error: `HTTP ${res.status} ${body.errcode ?? ""}`.trim() };
  return typeof body.access_token === "string" ? {} : { error: "no access token in the answer" };
}

function signInWave(hs: BenchSynapse, staff: Staff, count: number, concurrency: number, address: string) {
  return runLoad(count, concurrency, (i) => login(hs, staff.usernames[i]!, staff.password, address));
}

function sum(results: LoadResult[], key: "errors429" | "errorsOther"): number {
  return results.reduce((s, r) => s + r[key], 0);
}

/** Synapse's defaults: how many of the same wave one address gets through (informational). */
async function stockReference(ctx: BenchContext, staff: Staff, concurrency: number): Promise<MeasuredRow> {
  const stock = await sharedSynapse(ctx, "stock");
  await registerStaff(stock, staff);
  const wave = await signInWave(stock, staff, staff.usernames.length, concurrency, addressFor(0));
  const accepted = staff.usernames.length - wave.errors429 - wave.errorsOther;
  return {
    name: `B7 ${staff.usernames.length} staff sign-ins, one address, Synapse default limits (reference)`,
    target: "informational: documents the floor the shipped limits remove",
    ratio: null,
    p50_ms: round(percentile(wave.latenciesMs, 50)),
    p95_ms: round(percentile(wave.latenciesMs, 95)),
    n: staff.usernames.length,
    pairs: 1,
    errors_429: wave.errors429,
    errors_other: wave.errorsOther,
    homeserver_calls_per_op: 1,
    ok: null,
    figures: {
      accepted,
      refused_429: wave.errors429,
      // rc_login.address default: burst 5, then 0.003/s (Synapse 1.163 config documentation).
      hours_until_all_signed_in: round((staff.usernames.length - 5) / 0.003 / 3600, 1),
    },
  };
}

export const b7StaffSignIn: Benchmark = {
  id: "B7",
  name: "Rate-limit conformance: 200 staff signing in from one address",
  target: TARGET,
  description:
    "A = the shipped homeserver configuration (lib/homeserver/synapse-config.ts, bcrypt 12), B = the same file " +
    "with every limiter lifted (Complement-style 9999/9999), two throwaway Synapses side by side. 200 accounts " +
    "made by admin registration on each, then 200 password logins at concurrency 20 from one client address " +
    "(a fresh address per repetition), 1 warm-up + 3 interleaved pairs; ratio = wall time A/B. Full runs also " +
    "record the same wave under Synapse's default limits. Not yet built: the portal's SSO sign-in path " +
    "(m.login.token) in place of password logins, and B1b, B2 and B3 under both configurations.",
  async run(ctx: BenchContext, opts: BenchOptions) {
    const count = opts.smoke ? 6 : 200;
    const pairs = opts.smoke ? 1 : 3;
    const concurrency = opts.smoke ? 3 : 20;
    const staff: Staff = {
      usernames: Array.from({ length: count }, (_, i) => `staff.${String(i).padStart(3, "0")}`),
      password: randomBytes(12).toString("base64url"),
    };
    const [shipped, unlimited] = await Promise.all([sharedSynapse(ctx, "shipped"), sharedSynapse(ctx, "unlimited")]);
    ctx.log(`B7 registering ${count} staff accounts on each homeserver`);
    await Promise.all([registerStaff(shipped, staff), registerStaff(unlimited, staff)]);

    const warmups = Math.min(10, count);
    ctx.log(`B7 ${pairs} interleaved pairs of ${count} sign-ins`);
    const runs = await interleave(
      pairs,
      1,
      (pair) => signInWave(shipped, staff, pair < 0 ? warmups : count, concurrency, addressFor(pair)),
      (pair) => signInWave(unlimited, staff, pair < 0 ? warmups : count, concurrency, addressFor(pair)),
    );
    const ratios = runs.a.map((a, i) => a.wallMs / runs.b[i]!.wallMs);
    const { ratio, spread } = summariseRatios(ratios);
    const latA = runs.a.flatMap((r) => r.latenciesMs);
    const latB = runs.b.flatMap((r) => r.latenciesMs);
    const errors429 = sum(runs.a, "errors429");
    const errorsOther = sum(runs.a, "errorsOther") + sum(runs.b, "errorsOther") + sum(runs.b, "errors429");
    const walls = runs.a.map((r) => r.wallMs / 1000);
    const samples = [...runs.a, ...runs.b].flatMap((r) => r.failureSamples).slice(0, 2);
    const rows: MeasuredRow[] = [
      {
        name: `B7 ${count} staff sign-ins, one address, shipped limits vs none`,
        target: TARGET,
        ratio: round(ratio),
        ratio_spread: roundedSpread(spread),
        p50_ms: round(percentile(latA, 50)),
        p95_ms: round(percentile(latA, 95)),
        baseline_p50_ms: round(percentile(latB, 50)),
        baseline_p95_ms: round(percentile(latB, 95)),
        n: latA.length,
        pairs,
        errors_429: errors429,
        errors_other: sum(runs.a, "errorsOther"),
        homeserver_calls_per_op: 1,
        ok: errors429 === 0 && errorsOther === 0 && ratio <= 1.1,
        figures: {
          concurrency,
          wall_s_median: round(percentile(walls, 50), 2),
          baseline_wall_s_median: round(percentile(runs.b.map((r) => r.wallMs / 1000), 50), 2),
          within_a_minute: percentile(walls, 100) <= 60 ? 1 : 0,
        },
        ...(samples.length ? { notes: `failures: ${samples.join("; ")}` } : {}),
      },
    ];
    if (!opts.smoke) rows.push(await stockReference(ctx, staff, concurrency));
    return { rows };
  },
};
