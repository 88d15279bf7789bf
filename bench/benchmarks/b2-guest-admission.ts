import { randomBytes, randomUUID } from "node:crypto";
import { people, type Person } from "../../drizzle/schema";
import { createTokenCipher } from "../../lib/auth/token-crypto";
import { parseConfig, type AppConfig } from "../../lib/config/load";
import { openDb, runMigrations, type Db } from "../../lib/db/client";
import type { GuestDeps } from "../../lib/guests/guest-deps";
import { guestConfigFrom } from "../../lib/guests/guest-deps";
import { createGuestLink } from "../../lib/guests/guest-links";
import { redeemGuestLink } from "../../lib/guests/guest-redemption";
import { createGuestInputFor, redeemFor, secretOf } from "../../lib/guests/testing/guest-inputs";
import { currentUsageRules } from "../../lib/guests/usage-rules";
import { createLogger } from "../../lib/log";
import { registerUser } from "../../lib/matrix/admin-register";
import { botUserId } from "../../lib/matrix/appservice-registration";
import { MatrixApiError, enc } from "../../lib/matrix/client-api";
import { createGuestAccounts } from "../../lib/matrix/guest-accounts";
import { createServiceClient, type ServiceClient } from "../../lib/matrix/service-client";
import { createManagedRoom } from "../../lib/rooms/create-room";
import { createRoomInput } from "../../lib/rooms/create-room-input";
import { sharedPglite } from "../core/databases";
import { interleave, runLoad, type LoadResult, type Outcome } from "../core/load";
import { percentile, round, roundedSpread, summariseRatios } from "../core/stats";
import { sharedSynapse, type BenchSynapse } from "../core/synapse";
import type { Benchmark, BenchContext, BenchOptions, MeasuredRow } from "../core/types";

const TARGET = "throughput >= 0.8 of raw; 200 guests joined within 60 s; zero 429s";
const CONCURRENCY = 20;

interface Setup {
  hs: BenchSynapse;
  service: ServiceClient;
  config: AppConfig;
  db: Db;
  deps: GuestDeps;
  organiser: Person;
  rulesVersion: number;
  /** Homeserver requests made by this process, so each side's calls per guest can be counted. */
  calls: { n: number };
}

interface Admission {
  result: LoadResult;
  /** Homeserver calls made while the guests were admitted (the meeting and link set-up excluded). */
  calls: number;
}

async function countedLoad(setup: Setup, count: number, op: (i: number) => Promise<Outcome | undefined>): Promise<Admission> {
  const before = setup.calls.n;
  const result = await runLoad(count, CONCURRENCY, op);
  return { result, calls: setup.calls.n - before };
}

/** Counts this process's requests to the homeserver (both sides use global fetch). */
function countHomeserverCalls(hsUrl: string, ctx: BenchContext): { n: number } {
  const counter = { n: 0 };
  const original = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    if (String(input instanceof Request ? input.url : input).startsWith(hsUrl)) counter.n++;
    return original(input, init);
  };
  ctx.onCleanup(() => {
    globalThis.fetch = original;
  });
  return counter;
}

/** What the guest landing page's use case needs, on any database and homeserver (also used by B8). */
export function guestDepsFor(config: AppConfig, db: Db, service: ServiceClient): GuestDeps {
  return {
    db,
    service,
    accounts: createGuestAccounts(config),
    tokens: createTokenCipher(randomBytes(32).toString("base64url")),
    config: guestConfigFrom(config),
    log: createLogger("bench-guests", "silent"),
    now: () => new Date(),
  };
}

async function prepare(ctx: BenchContext): Promise<Setup> {
  const [hs, pglite] = await Promise.all([sharedSynapse(ctx, "shipped"), sharedPglite(ctx)]);
  const handle = openDb(pglite.url, { max: 25 });
  ctx.onCleanup(() => handle.close());
  await runMigrations(handle);
  const run = randomUUID().slice(0, 6);
  const [admin, organiserAccount] = await Promise.all([
    registerUser({ homeserverUrl: hs.url, sharedSecret: hs.registrationSharedSecret, username: `b2-admin-${run}`, admin: true }),
    registerUser({ homeserverUrl: hs.url, sharedSecret: hs.registrationSharedSecret, username: `b2-org-${run}`, admin: false }),
  ]);
  const config = parseConfig({
    MATRIX_SERVER_NAME: hs.serverName,
    MATRIX_HOMESERVER_URL: hs.url,
    MATRIX_ADMIN_TOKEN: admin.access_token,
    APPSERVICE_AS_TOKEN: hs.appservice.asToken,
    APPSERVICE_HS_TOKEN: hs.appservice.hsToken,
    APPSERVICE_USER_PREFIX: hs.appservice.userPrefix,
    JITSI_DOMAIN: "meet.stadt.example",
    JITSI_AUTH_MODE: "jwt",
    JITSI_APP_SECRET: "b".repeat(40),
  });
  const [organiser] = await handle.db
    .insert(people)
    .values({ subject: `b2-${run}`, displayName: "Olga Organisatorin", username: `b2-org-${run}`, matrixUserId: organiserAccount.user_id })
    .returning();
  const service = createServiceClient(config);
  const deps = guestDepsFor(config, handle.db, service);
  return {
    hs,
    service,
    config,
    db: handle.db,
    deps,
    organiser: organiser!,
    rulesVersion: (await currentUsageRules(handle.db)).version,
    calls: countHomeserverCalls(hs.url, ctx),
  };
}

/** "YYYY-MM-DDTHH:00" tomorrow, as the form sends it: links of a meeting expire after its end, at most 90 days ahead. */
export function tomorrowAt(hour: number): string {
  const d = new Date(Date.now() + 86_400_000);
  return `${d.toISOString().slice(0, 10)}T${String(hour).padStart(2, "0")}:00`;
}

/** A fresh meeting per run, so every run admits its guests into a room of the same size. */
function newMeeting(setup: Setup): Promise<string> {
  return newMeetingFor({ db: setup.db, service: setup.service, log: setup.deps.log }, setup.config, setup.organiser);
}

/** A meeting tomorrow 10–11 made by the use case behind "new room" (also used by B8). */
export async function newMeetingFor(deps: { db: Db; service: ServiceClient; log: GuestDeps["log"] }, config: AppConfig, organiser: Person): Promise<string> {
  const room = await createManagedRoom(
    { db: deps.db, service: deps.service, config, log: deps.log, discardRoom: async () => {} },
    organiser,
    createRoomInput.parse({
      kind: "meeting",
      name: "Bürgersprechstunde",
      topic: "",
      startsAt: tomorrowAt(10),
      endsAt: tomorrowAt(11),
      participantIds: [],
      idempotencyKey: randomUUID(),
    }),
  );
  return room.matrixRoomId!;
}

/** A 429 is counted apart; other failures keep their cause (a database error's own message sits in `cause`). */
export const asOutcome = (err: unknown): Outcome =>
  err instanceof MatrixApiError && err.status === 429
    ? { error: "429" }
    : { error: `${(err as Error).message.slice(0, 80)}${(err as Error).cause ? ` (${String((err as Error).cause)})` : ""}` };

/** A: one invite link for `count` uses; each guest redeems it as the landing page does (rules accepted, name given). */
async function admitThroughLink(setup: Setup, count: number): Promise<Admission> {
  const roomId = await newMeeting(setup);
  const mod = { person: setup.organiser, matrixUserId: setup.organiser.matrixUserId! };
  const { url } = await createGuestLink(setup.deps, mod, roomId, createGuestInputFor({ maxUses: count }));
  const secret = secretOf(url);
  return countedLoad(setup, count, (i) => admitGuest(setup.deps, secret, `Gast ${i}`, setup.rulesVersion));
}

/** One guest through the landing page's use case (rules accepted, name given), until they are in the room. */
export async function admitGuest(deps: GuestDeps, secret: string, displayName: string, rulesVersion: number): Promise<Outcome | undefined> {
  try {
    const outcome = await redeemGuestLink(deps, redeemFor(secret, { displayName, rulesVersion }), null);
    if (outcome.kind !== "redeemed") return { error: `redemption ${outcome.kind}` };
    return outcome.ready ? undefined : { error: "guest not in the room" };
  } catch (err) {
    return asOutcome(err);
  }
}

/** B: the homeserver calls that put a guest into a room, straight: register, display name, invite, join. */
async function admitRaw(setup: Setup, count: number): Promise<Admission> {
  const roomId = await newMeeting(setup);
  const { homeserverUrl } = setup.config.matrix;
  const as = { authorization: `Bearer ${setup.config.appservice.asToken}`, "content-type": "application/json" };
  const call = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${homeserverUrl}${path}`, { method, headers: as, body: JSON.stringify(body) });
    await res.arrayBuffer();
    if (res.status === 429) throw new MatrixApiError(429, "M_LIMIT_EXCEEDED", path);
    if (!res.ok) throw new Error(`${method} ${path.split("?")[0]} HTTP ${res.status}`);
  };
  const bot = botUserId(setup.config);
  const run = randomUUID().slice(0, 8);
  return countedLoad(setup, count, async (i) => {
    const localpart = `${setup.config.appservice.userPrefix}rawguest_${run}_${i}`;
    const userId = `@${localpart}:${setup.config.matrix.serverName}`;
    try {
      await call("POST", "/_matrix/client/v3/register", { type: "m.login.application_service", username: localpart, initial_device_display_name: "raw" });
      await call("PUT", `/_matrix/client/v3/profile/${enc(userId)}/displayname?user_id=${enc(userId)}`, { displayname: `Gast ${i} (Gast)` });
      await call("POST", `/_matrix/client/v3/rooms/${enc(roomId)}/invite?user_id=${enc(bot)}`, { user_id: userId });
      await call("POST", `/_matrix/client/v3/join/${enc(roomId)}?user_id=${enc(userId)}`, {});
      return undefined;
    } catch (err) {
      return asOutcome(err);
    }
  });
}

const throughput = (r: LoadResult) => r.latenciesMs.length / (r.wallMs / 1000);

async function admissions(setup: Setup, count: number, pairs: number, ctx: BenchContext): Promise<MeasuredRow> {
  ctx.log(`B2 ${count} guests into one meeting at concurrency ${CONCURRENCY}, ${pairs} pairs`);
  const measured = await interleave(
    pairs,
    0,
    () => admitThroughLink(setup, count),
    () => admitRaw(setup, count),
  );
  const runs = { a: measured.a.map((m) => m.result), b: measured.b.map((m) => m.result) };
  const callsPerGuest = (side: Admission[]) => round(side.reduce((s, m) => s + m.calls, 0) / (count * pairs), 2);
  const ratios = runs.a.map((a, i) => throughput(a) / throughput(runs.b[i]!));
  const { ratio, spread } = summariseRatios(ratios);
  const latA = runs.a.flatMap((r) => r.latenciesMs);
  const latB = runs.b.flatMap((r) => r.latenciesMs);
  const errors429 = runs.a.reduce((s, r) => s + r.errors429, 0);
  const errorsOther = runs.a.reduce((s, r) => s + r.errorsOther, 0);
  const rawErrors = runs.b.reduce((s, r) => s + r.errors429 + r.errorsOther, 0);
  const slowestWallS = Math.max(...runs.a.map((r) => r.wallMs)) / 1000;
  const samples = [...runs.a, ...runs.b].flatMap((r) => r.failureSamples).slice(0, 2);
  const within60 = count < 200 || slowestWallS <= 60;
  return {
    name: `B2 ${count} guests admitted by one invite link (concurrency ${CONCURRENCY}) vs raw register+join`,
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
    errors_other: errorsOther,
    homeserver_calls_per_op: callsPerGuest(measured.a),
    ok: errors429 === 0 && errorsOther === 0 && rawErrors === 0 && ratio >= 0.8 && within60,
    figures: {
      guests_per_s: round(percentile(runs.a.map(throughput), 50), 2),
      raw_guests_per_s: round(percentile(runs.b.map(throughput), 50), 2),
      slowest_run_all_joined_s: round(slowestWallS, 1),
      raw_homeserver_calls_per_op: callsPerGuest(measured.b),
    },
    ...(samples.length ? { notes: `failures: ${samples.join("; ")}` } : {}),
  };
}

export const b2GuestAdmission: Benchmark = {
  id: "B2",
  name: "Guests admitted by invite link vs the raw registration and join calls",
  target: TARGET,
  description:
    "A = redeemGuestLink, the use case behind the guest landing page (link claimed in one conditional UPDATE, guest " +
    "row and audit entry, account registered in the service's namespace, display name, the bot's invite and the " +
    "guest's join), N guests on one link into one fresh meeting at concurrency 20. B = the same four homeserver calls " +
    "(register, display name, invite, join) straight from a tight client into another fresh meeting of the same " +
    "kind. Shipped homeserver configuration (with the guest-limits module), PGlite. 10, 50 and 200 guests, 3 " +
    "interleaved pairs each. Not included: the HTTP layer of the landing page (measured by B5/B6).",
  async run(ctx: BenchContext, opts: BenchOptions) {
    const setup = await prepare(ctx);
    const sizes = opts.smoke ? [3] : [10, 50, 200];
    const rows: MeasuredRow[] = [];
    for (const size of sizes) rows.push(await admissions(setup, size, opts.smoke ? 1 : 3, ctx));
    return { rows };
  },
};
