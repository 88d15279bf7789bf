import { upsertPersonFromSignIn } from "../../lib/auth/people-store";
import { findActiveSession } from "../../lib/auth/session-store";
import { openDb } from "../../lib/db/client";
import { listRoomsFor } from "../../lib/rooms/room-list";
import { sharedPglite, sharedPostgres } from "../core/databases";
import { makeSeed, seedPortalData, type Seed, type Side } from "../core/portal-seed";
import { interleave, runLoad, type LoadResult } from "../core/load";
import { percentile, round, roundedSpread, summariseRatios } from "../core/stats";
import type { Benchmark, BenchContext, BenchOptions, MeasuredRow } from "../core/types";

/** The portal's pool size (lib/portal/runtime.ts): at concurrency 20 requests queue for a connection on both sides. */
const PORTAL_POOL_SIZE = 10;
const IDLE_MINUTES = 120;
/** The decision rule applies under load (concurrency 20); at concurrency 1 the ratio is reported only. */
const TARGET = "report p95 ratio PGlite/PostgreSQL; at c=20 PGlite is adequate while ratio <= 2 and PGlite p95 <= 10 ms";

interface HotQuery {
  key: string;
  label: string;
  /** Resolves with an error text when the answer is wrong (a miss is a failure, not a fast path). */
  run(side: Side, seed: Seed, i: number): Promise<string | undefined>;
}

const HOT_QUERIES: HotQuery[] = [
  {
    key: "session-lookup",
    label: "session look-up (findActiveSession)",
    async run(side, seed, i) {
      const id = seed.sessionIds[i % seed.sessionIds.length]!;
      const found = await findActiveSession(side.db, id, new Date(), IDLE_MINUTES);
      return found ? undefined : "session not found";
    },
  },
  {
    key: "person-upsert",
    label: "person upsert at sign-in (upsertPersonFromSignIn)",
    async run(side, seed, i) {
      const profile = seed.profiles[(i * 7) % seed.profiles.length]!;
      await upsertPersonFromSignIn(side.db, profile, new Date());
      return undefined;
    },
  },
  {
    key: "room-list",
    label: "dashboard room list (listRoomsFor)",
    async run(side, seed, i) {
      const person = side.people[i % side.people.length]!;
      const list = await listRoomsFor(side.db, person);
      return list.length >= seed.roomsPerPerson ? undefined : `room list too short (${list.length})`;
    },
  },
];

/** Parts of the portal's query mix whose capability is still being built. */
const NOT_YET_BUILT = ["guest invite redemption (validate and consume in a transaction)"];

function batch(side: Side, seed: Seed, query: HotQuery, count: number, concurrency: number): Promise<LoadResult> {
  const offset = Math.floor(Math.random() * seed.profiles.length);
  return runLoad(count, concurrency, async (i) => {
    const error = await query.run(side, seed, offset + i);
    return error ? { error } : undefined;
  });
}

async function measure(
  a: Side,
  b: Side,
  seed: Seed,
  query: HotQuery,
  concurrency: number,
  opts: BenchOptions,
): Promise<MeasuredRow> {
  const reps = opts.smoke ? 2 : 20;
  const count = opts.smoke ? (concurrency === 1 ? 10 : 40) : concurrency === 1 ? 200 : 1000;
  const runs = await interleave(
    reps,
    1,
    () => batch(a, seed, query, count, concurrency),
    () => batch(b, seed, query, count, concurrency),
  );
  const ratios = runs.a.map((ra, i) => percentile(ra.latenciesMs, 95) / percentile(runs.b[i]!.latenciesMs, 95));
  const { ratio, spread } = summariseRatios(ratios);
  const allA = runs.a.flatMap((r) => r.latenciesMs);
  const allB = runs.b.flatMap((r) => r.latenciesMs);
  const p95 = percentile(allA, 95);
  const errorsA = runs.a.reduce((s, r) => s + r.errorsOther, 0);
  const errorsB = runs.b.reduce((s, r) => s + r.errorsOther, 0);
  const samples = [...runs.a, ...runs.b].flatMap((r) => r.failureSamples).slice(0, 2);
  return {
    name: `B6 ${query.label}, c=${concurrency}`,
    target: TARGET,
    ratio: round(ratio),
    ratio_spread: roundedSpread(spread),
    p50_ms: round(percentile(allA, 50)),
    p95_ms: round(p95),
    baseline_p50_ms: round(percentile(allB, 50)),
    baseline_p95_ms: round(percentile(allB, 95)),
    n: allA.length,
    pairs: reps,
    errors_429: 0,
    errors_other: errorsA,
    homeserver_calls_per_op: null,
    ok: errorsA + errorsB > 0 ? false : concurrency === 1 ? null : ratio <= 2 && p95 <= 10,
    figures: {
      concurrency,
      ops_per_rep: count,
      throughput_ops_s: round(allA.length / (runs.a.reduce((s, r) => s + r.wallMs, 0) / 1000), 1),
      baseline_throughput_ops_s: round(allB.length / (runs.b.reduce((s, r) => s + r.wallMs, 0) / 1000), 1),
    },
    ...(errorsA + errorsB > 0 ? { notes: `errors PGlite ${errorsA}, PostgreSQL ${errorsB}: ${samples.join("; ")}` } : {}),
  };
}

export const b6Database: Benchmark = {
  id: "B6",
  name: "PGlite vs PostgreSQL on the portal's hot queries",
  target: TARGET,
  description:
    "A = PGlite behind its wire server in its own process (as `npm start` runs it), B = a throwaway PostgreSQL " +
    "(Debian package, fsync off like PGlite, which never calls fsync). Same migrations, same seeded people and " +
    "sessions (500) and rooms (2,000, six people each), same drizzle queries through pg pools of the portal's " +
    "size (10). Concurrency 1 and 20; per repetition the p95 of a batch on each side, 20 interleaved " +
    "repetitions. Measured: session look-up (findActiveSession), person upsert at sign-in " +
    "(upsertPersonFromSignIn), dashboard room list (listRoomsFor). Not yet built: " +
    `${NOT_YET_BUILT.join(", ")}.`,
  async run(ctx: BenchContext, opts: BenchOptions) {
    const [pglite, postgres] = await Promise.all([sharedPglite(ctx), sharedPostgres(ctx)]);
    const a = openDb(pglite.url, { max: PORTAL_POOL_SIZE });
    const b = openDb(postgres.url, { max: PORTAL_POOL_SIZE });
    ctx.onCleanup(() => Promise.all([a.close(), b.close()]).then(() => undefined));
    const seed = makeSeed(opts.smoke ? 20 : 500);
    ctx.log(`B6 seeding ${seed.profiles.length} people, sessions and ${seed.profiles.length * seed.roomsPerPerson} rooms`);
    const [sideA, sideB] = await Promise.all([seedPortalData(a, seed), seedPortalData(b, seed)]);
    const rows: MeasuredRow[] = [];
    for (const concurrency of [1, 20]) {
      for (const query of HOT_QUERIES) {
        ctx.log(`B6 ${query.key} at concurrency ${concurrency}`);
        rows.push(await measure(sideA, sideB, seed, query, concurrency, opts));
      }
    }
    for (const part of NOT_YET_BUILT) {
      rows.push({ name: `B6 ${part}`, target: TARGET, status: "not yet built", ok: null });
    }
    return { rows };
  },
};

