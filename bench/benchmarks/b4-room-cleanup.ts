import { randomBytes, randomUUID } from "node:crypto";
import { z } from "zod";
import { cleanupDeps } from "../../bots/cleanup";
import { runCleanupOnce } from "../../bots/cleanup/cleanup-run";
import { createBotClient } from "../../bots/shared/homeserver";
import { createOutbox } from "../../bots/shared/outbox";
import { people, rooms, type Person } from "../../drizzle/schema";
import { roomRetention } from "../../drizzle/tables/lifecycle";
import { openDb, runMigrations, type Db } from "../../lib/db/client";
import { createLogger } from "../../lib/log";
import { registerUser } from "../../lib/matrix/admin-register";
import { botUserId } from "../../lib/matrix/appservice-registration";
import { MatrixApiError, enc, matrixRequest } from "../../lib/matrix/client-api";
import { sharedPostgres } from "../core/databases";
import { interleave, runLoad } from "../core/load";
import { percentile, round, roundedSpread, summariseRatios } from "../core/stats";
import { sharedSynapse, type BenchSynapse } from "../core/synapse";
import type { Benchmark, BenchContext, BenchOptions, MeasuredRow } from "../core/types";

const TARGET = "wall-time ratio bot/raw <= 1.1, 0 rooms left";
const DAY = 86_400_000;

interface Setup {
  hs: BenchSynapse;
  db: Db;
  adminToken: string;
  bot: string;
  organiser: Person;
  members: string[];
}

const json = z.looseObject({});

async function setUp(ctx: BenchContext): Promise<Setup> {
  // PostgreSQL, as in production, where the bot runs ten deletions at once; PGlite's single session
  // would serialise the jobs' writes and measure the embedded database instead of the cleanup.
  const [hs, database] = await Promise.all([sharedSynapse(ctx, "shipped"), sharedPostgres(ctx)]);
  const handle = openDb(database.url, { max: 5 });
  ctx.onCleanup(() => handle.close());
  await runMigrations(handle);
  const admin = await registerUser({
    homeserverUrl: hs.url,
    sharedSecret: hs.registrationSharedSecret,
    username: `b4-admin-${randomBytes(3).toString("hex")}`,
    admin: true,
  });
  const [organiser] = await handle.db.insert(people).values({ subject: randomUUID(), displayName: "B4 Organisation" }).returning();
  return { hs, db: handle.db, adminToken: admin.access_token, bot: botUserId({ appservice: hs.appservice, matrix: { serverName: hs.serverName } }), organiser: organiser!, members: [] };
}

/** Members are the service's own users (no rate limit), so building the rooms does not dominate the run. */
async function ensureMembers(s: Setup, count: number): Promise<string[]> {
  while (s.members.length < count) {
    const localpart = `${s.hs.appservice.userPrefix}b4m_${s.members.length}_${randomBytes(2).toString("hex")}`;
    const r = await matrixRequest(
      {
        homeserverUrl: s.hs.url,
        method: "POST",
        path: "/_matrix/client/v3/register",
        accessToken: s.hs.appservice.asToken,
        body: { type: "m.login.application_service", username: localpart, inhibit_login: true },
      },
      z.looseObject({ user_id: z.string() }),
    );
    s.members.push(r.user_id);
  }
  return s.members.slice(0, count);
}

/** `count` rooms of `members` members (the service's bot creates each, the rest join), built at concurrency 8. */
async function buildRooms(s: Setup, count: number, members: number): Promise<string[]> {
  const joiners = await ensureMembers(s, members - 1);
  const ids: string[] = [];
  const as = { homeserverUrl: s.hs.url, accessToken: s.hs.appservice.asToken };
  const built = await runLoad(count, 8, async (i) => {
    const r = await matrixRequest(
      { ...as, asUserId: s.bot, method: "POST", path: "/_matrix/client/v3/createRoom", body: { preset: "private_chat", name: `B4 ${i}`, invite: joiners }, timeoutMs: 60_000 },
      z.object({ room_id: z.string() }),
    );
    for (const member of joiners) {
      await matrixRequest({ ...as, asUserId: member, method: "POST", path: `/_matrix/client/v3/join/${enc(r.room_id)}`, body: {}, timeoutMs: 60_000 }, json);
    }
    ids.push(r.room_id);
  });
  if (built.errorsOther > 0) throw new Error(`building rooms failed: ${built.failureSamples.join("; ")}`);
  return ids;
}

/** Portal rows for the bot's side: meetings that ended 60 days ago, announced for yesterday. */
async function makeDue(s: Setup, roomIds: string[]): Promise<void> {
  const now = Date.now();
  const rows = await s.db
    .insert(rooms)
    .values(
      roomIds.map((matrixRoomId) => ({
        matrixRoomId,
        kind: "meeting" as const,
        name: "B4",
        organiserId: s.organiser.id,
        startsAt: new Date(now - 61 * DAY),
        endsAt: new Date(now - 60 * DAY),
        access: "invited" as const,
        conferenceId: randomUUID(),
        widgetId: randomUUID(),
        idempotencyKey: randomUUID(),
        status: "active" as const,
      })),
    )
    .returning({ id: rooms.id });
  await s.db.insert(roomRetention).values(rows.map((r) => ({ roomId: r.id, warnedFor: new Date(now - DAY), warnedAt: new Date(now - 8 * DAY) })));
}

/** A: the cleanup bot's pass as it runs in production (planning, leases, polling, audit, portal rows). */
async function cleanupByBot(s: Setup, roomIds: string[]): Promise<number> {
  await makeDue(s, roomIds);
  const bot = createBotClient({ homeserverUrl: s.hs.url, asToken: s.hs.appservice.asToken }, s.bot);
  const deps = cleanupDeps({
    db: s.db,
    bot,
    outbox: createOutbox(s.db),
    homeserver: { homeserverUrl: s.hs.url, adminToken: s.adminToken, asToken: s.hs.appservice.asToken },
    portalUrl: "http://portal.bench",
    logger: createLogger("b4-cleanup", process.env.LOG_LEVEL ?? "warn"),
    parallel: 10,
  });
  const started = performance.now();
  const report = await runCleanupOnce(deps);
  const wall = performance.now() - started;
  if (report.roomsDeleted !== roomIds.length) throw new Error(`bot deleted ${report.roomsDeleted} of ${roomIds.length} rooms`);
  return wall;
}

/** B: the same admin calls from a tight client: every v2 delete submitted at once, then polled every 100 ms. */
async function cleanupRaw(s: Setup, roomIds: string[]): Promise<number> {
  // Ten minutes per request: with 1,000 deletions submitted at once on a busy machine, the last
  // answers took longer than 60 s and the first full run lost its raw side to a client timeout.
  const admin = { homeserverUrl: s.hs.url, accessToken: s.adminToken, timeoutMs: 600_000 };
  const started = performance.now();
  const deleteIds = await Promise.all(
    roomIds.map(async (roomId) => {
      const r = await matrixRequest(
        { ...admin, method: "DELETE", path: `/_synapse/admin/v2/rooms/${enc(roomId)}`, body: { block: false, purge: true } },
        z.object({ delete_id: z.string() }),
      );
      return r.delete_id;
    }),
  );
  let pending = deleteIds;
  while (pending.length > 0) {
    const statuses = await Promise.all(
      pending.map((id) => matrixRequest({ ...admin, method: "GET", path: `/_synapse/admin/v2/rooms/delete_status/${enc(id)}` }, z.looseObject({ status: z.string() }))),
    );
    if (statuses.some((st) => st.status === "failed")) throw new Error("a raw deletion failed");
    pending = pending.filter((_, i) => statuses[i]!.status !== "complete");
    if (pending.length > 0) await new Promise((r) => setTimeout(r, 100));
  }
  return performance.now() - started;
}

async function leftovers(s: Setup, roomIds: string[]): Promise<number> {
  let left = 0;
  await runLoad(roomIds.length, 8, async (i) => {
    try {
      await matrixRequest({ homeserverUrl: s.hs.url, accessToken: s.adminToken, method: "GET", path: `/_synapse/admin/v1/rooms/${enc(roomIds[i]!)}` }, json);
      left++;
    } catch (err) {
      if (!(err instanceof MatrixApiError && err.status === 404)) throw err;
    }
  });
  return left;
}

async function measure(ctx: BenchContext, s: Setup, label: string, count: number, members: number, pairs: number): Promise<MeasuredRow> {
  ctx.log(`B4 ${label}: ${pairs} interleaved pairs (rooms are built before each side, not timed)`);
  let left = 0;
  const side = (by: (s: Setup, ids: string[]) => Promise<number>) => async (pair: number) => {
    const ids = await buildRooms(s, pair < 0 ? Math.min(count, 5) : count, members);
    const wall = await by(s, ids);
    left += await leftovers(s, ids);
    return wall;
  };
  const runs = await interleave(pairs, 1, side(cleanupByBot), side(cleanupRaw));
  const { ratio, spread } = summariseRatios(runs.a.map((a, i) => a / runs.b[i]!));
  return {
    name: `B4 cleanup of ${count} rooms × ${members} members: cleanup bot vs raw admin-API v2 deletions`,
    target: TARGET,
    ratio: round(ratio),
    ratio_spread: roundedSpread(spread),
    p50_ms: round(percentile(runs.a, 50)),
    p95_ms: round(percentile(runs.a, 95)),
    baseline_p50_ms: round(percentile(runs.b, 50)),
    baseline_p95_ms: round(percentile(runs.b, 95)),
    n: count * pairs,
    pairs,
    errors_429: 0,
    errors_other: 0,
    // One delete plus at least one status poll per room.
    homeserver_calls_per_op: 2,
    ok: ratio <= 1.1 && left === 0,
    figures: { rooms: count, members, rooms_left: left, wall_s_bot_median: round(percentile(runs.a, 50) / 1000, 2), wall_s_raw_median: round(percentile(runs.b, 50) / 1000, 2) },
  };
}

export const b4RoomCleanup: Benchmark = {
  id: "B4",
  name: "Room cleanup",
  target: TARGET,
  description:
    "A = the cleanup bot's pass (bots/cleanup: planning, leased jobs, v2 delete with purge, status polling, audit " +
    "entry and portal row per room, 10 deletions in flight) over rooms whose deletion is due; B = the same v2 " +
    "deletes submitted all at once by a tight client that polls every 100 ms. Rooms are built (not timed) before " +
    "each side on the shipped homeserver, portal data in PostgreSQL; 1 warm-up, interleaved pairs; ratio = wall " +
    "time A/B; leftovers checked " +
    "through the admin API. Full: 1,000 rooms × 2 members (1 pair) and 50 rooms × 20 members (2 pairs).",
  async run(ctx: BenchContext, opts: BenchOptions) {
    const s = await setUp(ctx);
    const rows: MeasuredRow[] = [];
    rows.push(await measure(ctx, s, opts.smoke ? "3 rooms" : "1,000 rooms", opts.smoke ? 3 : 1000, 2, 1));
    rows.push(await measure(ctx, s, opts.smoke ? "2 rooms × 3" : "50 rooms × 20", opts.smoke ? 2 : 50, opts.smoke ? 3 : 20, opts.smoke ? 1 : 2));
    return { rows };
  },
};
