import { randomUUID } from "node:crypto";
import http from "node:http";
import { eq, inArray } from "drizzle-orm";
import { startBots, type RunningBots } from "../../bots/main";
import { txnIdFor } from "../../bots/shared/outbox";
import { addedNotice } from "../../bots/invitations/notice-texts";
import { people, type Person } from "../../drizzle/schema";
import { invitationJobs } from "../../drizzle/tables/invitations";
import { parseConfig, type AppConfig } from "../../lib/config/load";
import { openDb, runMigrations, type Db } from "../../lib/db/client";
import { requestMeetingChange } from "../../lib/invitations/meeting-changes";
import { createLogger } from "../../lib/log";
import { registerUser } from "../../lib/matrix/admin-register";
import { botUserId } from "../../lib/matrix/appservice-registration";
import { enc } from "../../lib/matrix/client-api";
import { createServiceClient, type ServiceClient } from "../../lib/matrix/service-client";
import { createManagedRoom } from "../../lib/rooms/create-room";
import { createRoomInput } from "../../lib/rooms/create-room-input";
import { freePort } from "../../scripts/stack/ports";
import { sharedPostgres } from "../core/databases";
import { interleave, runLoad, type LoadResult } from "../core/load";
import { percentile, round, roundedSpread, summariseRatios } from "../core/stats";
import { sharedSynapse, type BenchSynapse } from "../core/synapse";
import type { Benchmark, BenchContext, BenchOptions, MeasuredRow } from "../core/types";

const TARGET = "throughput >= 0.7 of raw; p95 request → delivered invite <= 2 s; zero 429s; transaction acknowledgement p95 <= 50 ms";
/** People adding participants at the same time (organisers on the edit page). */
const CONCURRENCY = 10;

interface Setup {
  hs: BenchSynapse;
  config: AppConfig;
  db: Db;
  service: ServiceClient;
  bots: RunningBots;
  /** One organiser per room slot, so their own joins stay far below the shipped join limits. */
  organisers: { person: Person; token: string }[];
  invitees: Person[];
  /** Durations of the homeserver's transaction pushes to the bots (PUT /transactions), in ms. */
  acks: number[];
}

/**
 * Sits on the application service's registered port and forwards to the
 * bots: the time from the homeserver's request to the bots' answer is the
 * transaction acknowledgement time the homeserver sees.
 */
async function ackTimingProxy(listenPort: number, targetPort: number, acks: number[]): Promise<() => Promise<void>> {
  const server = http.createServer((req, res) => {
    const started = performance.now();
    const upstream = http.request({ host: "127.0.0.1", port: targetPort, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      answer.on("end", () => {
        if (req.method === "PUT" && req.url?.includes("/transactions/")) acks.push(performance.now() - started);
      });
    });
    upstream.on("error", () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(listenPort, "127.0.0.1", resolve));
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}

async function prepare(ctx: BenchContext, rooms: number, inviteesPerRoom: number): Promise<Setup> {
  // PostgreSQL, as recommended beyond a demo: portal requests and the bot's room workers run side by side,
  // and PGlite's one session cannot keep concurrent extended-protocol queries of several connections apart.
  const [hs, database] = await Promise.all([sharedSynapse(ctx, "shipped"), sharedPostgres(ctx)]);
  const handle = openDb(database.url, { max: 20 });
  ctx.onCleanup(() => handle.close());
  await runMigrations(handle);
  const botsPort = await freePort();
  const config = parseConfig({
    MATRIX_SERVER_NAME: hs.serverName,
    MATRIX_HOMESERVER_URL: hs.url,
    APPSERVICE_AS_TOKEN: hs.appservice.asToken,
    APPSERVICE_HS_TOKEN: hs.appservice.hsToken,
    APPSERVICE_USER_PREFIX: hs.appservice.userPrefix,
    APPSERVICE_URL: hs.appservice.url,
    APPSERVICE_PORT: String(botsPort),
    JITSI_DOMAIN: "meet.stadt.example",
    JITSI_AUTH_MODE: "none",
    LOG_LEVEL: "silent",
    DATABASE_URL: database.url,
  });
  const acks: number[] = [];
  const stopProxy = await ackTimingProxy(hs.appservice.port, botsPort, acks);
  ctx.onCleanup(stopProxy);
  const bots = await startBots(config, createLogger("bench-b3", "silent"), { db: handle.db, sweepOnStart: false });
  ctx.onCleanup(() => bots.stop());

  const run = randomUUID().slice(0, 6);
  const register = (name: string) => registerUser({ homeserverUrl: hs.url, sharedSecret: hs.registrationSharedSecret, username: name, admin: false });
  // Four at a time: 70 registrations at once (bcrypt each) timed out on a busy machine.
  const registerAll = async (names: string[]) => {
    const accounts: Awaited<ReturnType<typeof register>>[] = new Array(names.length);
    const done = await runLoad(names.length, 4, async (i) => void (accounts[i] = await register(names[i]!)));
    if (done.errorsOther > 0) throw new Error(`registering accounts failed: ${done.failureSamples.join("; ")}`);
    return accounts;
  };
  const organiserAccounts = await registerAll(Array.from({ length: rooms }, (_, i) => `b3-${run}-o${i}`));
  const inviteeAccounts = await registerAll(Array.from({ length: inviteesPerRoom }, (_, i) => `b3-${run}-p${i}`));
  const organiserRows = await handle.db
    .insert(people)
    .values(organiserAccounts.map((a, i) => ({ subject: `b3-${run}-o${i}`, displayName: `Organisation ${i}`, username: `b3-${run}-o${i}`, matrixUserId: a.user_id })))
    .returning();
  const invitees = await handle.db
    .insert(people)
    .values(inviteeAccounts.map((a, i) => ({ subject: `b3-${run}-p${i}`, displayName: `Person ${i}`, username: `b3-${run}-p${i}`, matrixUserId: a.user_id })))
    .returning();
  return {
    hs,
    config,
    db: handle.db,
    service: createServiceClient(config),
    bots,
    organisers: organiserRows.map((person, i) => ({ person, token: organiserAccounts[i]!.access_token })),
    invitees,
    acks,
  };
}

/**
 * A fresh room per organiser with the organiser joined (set-up, not measured).
 * Eight at a time: 50 room creations at once timed out on a busy machine and lost the whole run.
 */
async function freshRooms(setup: Setup): Promise<string[]> {
  const deps = { db: setup.db, service: setup.service, config: setup.config, log: createLogger("bench-b3", "silent"), discardRoom: async () => {} };
  const ids: string[] = new Array(setup.organisers.length);
  const built = await runLoad(setup.organisers.length, 8, async (i) => {
    const o = setup.organisers[i]!;
    const room = await createManagedRoom(deps, o.person, createRoomInput.parse({ kind: "team", name: "Arbeitsgruppe", idempotencyKey: randomUUID() }));
    const roomId = room.matrixRoomId!;
    const res = await fetch(`${setup.hs.url}/_matrix/client/v3/join/${enc(roomId)}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${o.token}`, "Content-Type": "application/json" },
      body: "{}",
    });
    await res.arrayBuffer();
    if (!res.ok) return { error: `organiser join HTTP ${res.status}` };
    ids[i] = roomId;
  });
  if (built.errorsOther > 0) throw new Error(`building rooms failed: ${built.failureSamples.join("; ")}`);
  return ids;
}

/** Every invitation once, room by room in turn, so the requests in flight at one moment are for different rooms (ten organisers at work). */
const spreadOverRooms = <T>(roomIds: string[], invitees: T[]) => invitees.flatMap((invitee) => roomIds.map((roomId, r) => ({ roomId, r, invitee })));

interface SideResult {
  load: LoadResult;
  /** Request → invite delivered (A: the job done after the homeserver accepted the invite). */
  deliveredMs: number[];
  wallMs: number;
}

/**
 * A: every invitation as an organiser's request on the edit page, carried out by the invitations bot.
 * Each of the ten organisers waits until their invitation is delivered before the next request, as
 * the raw side waits for its calls: a first version fired all 1,000 requests in 40 s at a homeserver
 * that carries out about 5 invitations/s, so its "delivered" p95 (150 s) measured the queue, not the bot.
 */
async function throughInvitationPath(setup: Setup, roomIds: string[]): Promise<SideResult> {
  const pairs = spreadOverRooms(roomIds, setup.invitees).map((p) => ({ ...p, organiser: setup.organisers[p.r]! }));
  const requestedAt = new Map<string, number>();
  const t0 = performance.now();
  const deadline = Date.now() + (setup.invitees.length > 10 ? 20 : 1) * 60_000;
  const load = await runLoad(pairs.length, CONCURRENCY, async (i) => {
    const { roomId, organiser, invitee } = pairs[i]!;
    const before = Date.now();
    try {
      const job = await requestMeetingChange(
        { db: setup.db, service: setup.service },
        { person: organiser.person, matrixUserId: organiser.person.matrixUserId },
        roomId,
        { kind: "add", participantIds: [invitee.id] },
      );
      requestedAt.set(job.id, before);
      for (;;) {
        const [row] = await setup.db.select({ doneAt: invitationJobs.doneAt }).from(invitationJobs).where(eq(invitationJobs.id, job.id));
        if (row?.doneAt) return undefined;
        if (Date.now() > deadline) return { error: "not delivered in time" };
        await new Promise((r) => setTimeout(r, 25));
      }
    } catch (err) {
      const cause = (err as { cause?: { message?: string } }).cause?.message;
      return { error: cause ? `${(err as Error).message.split("\n")[0]} (${cause})` : (err as Error).message };
    }
  });
  // Delivered = the bot's job is done (the homeserver has accepted the invite and the notice).
  const ids = [...requestedAt.keys()];
  const wallMs = performance.now() - t0;
  const done = ids.length ? await setup.db.select().from(invitationJobs).where(inArray(invitationJobs.id, ids)) : [];
  const deliveredMs = done.filter((j) => j.doneAt).map((j) => j.doneAt!.getTime() - requestedAt.get(j.id)!);
  const missing = ids.length - deliveredMs.length;
  if (missing > 0) load.errorsOther += missing;
  return { load, deliveredMs, wallMs };
}

/** B: the raw homeserver calls with the same effect: the invite and the same notice, as the service's bot. */
async function rawInvites(setup: Setup, roomIds: string[]): Promise<SideResult> {
  const bot = botUserId(setup.config);
  const pairs = spreadOverRooms(roomIds, setup.invitees);
  const headers = { Authorization: `Bearer ${setup.config.appservice.asToken}`, "Content-Type": "application/json" };
  const asBot = `user_id=${enc(bot)}`;
  const t0 = performance.now();
  const load = await runLoad(pairs.length, CONCURRENCY, async (i) => {
    const { roomId, invitee } = pairs[i]!;
    const invite = await fetch(`${setup.hs.url}/_matrix/client/v3/rooms/${enc(roomId)}/invite?${asBot}`, {
      method: "POST",
      headers,
      body: JSON.stringify({ user_id: invitee.matrixUserId }),
    });
    await invite.arrayBuffer();
    if (invite.status === 429) return { error: "429" };
    if (!invite.ok) return { error: `invite HTTP ${invite.status}` };
    const txn = txnIdFor(bot, `raw-${randomUUID()}`);
    const notice = await fetch(`${setup.hs.url}/_matrix/client/v3/rooms/${enc(roomId)}/send/m.room.message/${txn}?${asBot}`, {
      method: "PUT",
      headers,
      body: JSON.stringify(addedNotice([invitee.displayName])),
    });
    await notice.arrayBuffer();
    if (notice.status === 429) return { error: "429" };
    return notice.ok ? undefined : { error: `notice HTTP ${notice.status}` };
  });
  const wallMs = performance.now() - t0;
  return { load, deliveredMs: load.latenciesMs, wallMs };
}

export const b3Invitations: Benchmark = {
  id: "B3",
  name: "Bot invitation processing vs raw invites",
  target: TARGET,
  description:
    "A = 1,000 invitations across 50 rooms (20 per room), each one an organiser's request as the edit page makes it " +
    "(authorisation read from the homeserver, job written with the room's calendar sequence) carried out by the " +
    "invitations bot (state read, invite, the room notice through the outbox, job marked done); 10 requests at a time. " +
    "B = the raw invite plus the same notice as the service's bot, 10 at a time. Interleaved pairs on fresh rooms; " +
    "PostgreSQL as the database. " +
    "Delivered = the bot's job done; transaction acknowledgement = the homeserver's PUT /transactions to the bots, " +
    "timed by a proxy on the registered port.",
  async run(ctx: BenchContext, opts: BenchOptions) {
    const rooms = opts.smoke ? 2 : 50;
    const perRoom = opts.smoke ? 3 : 20;
    const pairs = opts.smoke ? 1 : 3;
    const setup = await prepare(ctx, rooms, perRoom);
    ctx.log(`B3 ${rooms * perRoom} invitations across ${rooms} rooms, ${pairs} interleaved pairs`);
    const runs = await interleave(
      pairs,
      0,
      async () => throughInvitationPath(setup, await freshRooms(setup)),
      async () => rawInvites(setup, await freshRooms(setup)),
    );
    const rate = (s: SideResult) => s.deliveredMs.length / (s.wallMs / 1000);
    const ratios = runs.a.map((a, i) => rate(a) / rate(runs.b[i]!));
    const { ratio, spread } = summariseRatios(ratios);
    const delivered = runs.a.flatMap((r) => r.deliveredMs);
    const raw = runs.b.flatMap((r) => r.deliveredMs);
    const errors429 = runs.a.reduce((s, r) => s + r.load.errors429, 0);
    const errorsOther = runs.a.reduce((s, r) => s + r.load.errorsOther, 0);
    const rawErrors = runs.b.reduce((s, r) => s + r.load.errors429 + r.load.errorsOther, 0);
    const ackP95 = percentile(setup.acks, 95);
    const p95 = percentile(delivered, 95);
    const samples = [...runs.a, ...runs.b].flatMap((r) => r.load.failureSamples).slice(0, 2);
    const row: MeasuredRow = {
      name: `B3 ${rooms * perRoom} invitations across ${rooms} rooms through the invitations bot vs raw invite + notice`,
      target: TARGET,
      ratio: round(ratio),
      ratio_spread: roundedSpread(spread),
      p50_ms: round(percentile(delivered, 50)),
      p95_ms: round(p95),
      baseline_p50_ms: round(percentile(raw, 50)),
      baseline_p95_ms: round(percentile(raw, 95)),
      n: delivered.length,
      pairs,
      errors_429: errors429,
      errors_other: errorsOther,
      // Per invitation: the edit page's state read, then the bot's state read, invite and notice.
      homeserver_calls_per_op: 4,
      ok: errors429 === 0 && errorsOther === 0 && rawErrors === 0 && ratio >= 0.7 && p95 <= 2_000 && ackP95 <= 50,
      figures: {
        invitations_per_s: round(percentile(runs.a.map(rate), 50), 1),
        raw_invitations_per_s: round(percentile(runs.b.map(rate), 50), 1),
        transaction_ack_p50_ms: round(percentile(setup.acks, 50), 1),
        transaction_ack_p95_ms: round(ackP95, 1),
        transactions: setup.acks.length,
      },
      ...(samples.length ? { notes: `failures: ${samples.join("; ")}` } : {}),
    };
    return { rows: [row] };
  },
};
